// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/emulateddevice.h"

#include "engine/error.h"

#include <cstring>
#include <sys/mman.h>

namespace memscope::engine {

EmulatedDevice::EmulatedDevice(int index, std::size_t capacityBytes)
    : m_index(index)
    , m_capacity((capacityBytes + kAlignment - 1) / kAlignment * kAlignment)
{
    // MAP_NORESERVE: a 1 GiB arena costs nothing until bytes are written.
    void *p = mmap(nullptr, m_capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        throw Error(ErrorCode::DeviceError,
                    "could not reserve " + std::to_string(m_capacity) +
                        " bytes for the emulated device cuda:" + std::to_string(index));
    m_arena = static_cast<std::byte *>(p);
    m_free.emplace(0, m_capacity);
}

EmulatedDevice::~EmulatedDevice()
{
    munmap(m_arena, m_capacity);
}

std::string EmulatedDevice::description() const
{
    return "emulated: host arena of " + std::to_string(m_capacity >> 20) + " MiB, transfers only";
}

Address EmulatedDevice::allocate(std::size_t bytes)
{
    const std::size_t size = std::max<std::size_t>(kAlignment, (bytes + kAlignment - 1) / kAlignment * kAlignment);
    std::lock_guard lock(m_mutex);
    for (auto it = m_free.begin(); it != m_free.end(); ++it) {
        if (it->second < size)
            continue;
        const std::size_t offset = it->first;
        const std::size_t rest = it->second - size;
        m_free.erase(it);
        if (rest)
            m_free.emplace(offset + size, rest);
        m_used.emplace(offset, size);
        m_inUse += size;
        return kBaseAddress + offset;
    }
    throw Error(ErrorCode::OutOfMemory,
                "out of memory on " + device().toString() + ": " + std::to_string(bytes) + " bytes requested, " +
                    std::to_string(m_capacity - m_inUse) + " of " + std::to_string(m_capacity) +
                    " free (fragmentation aside)");
}

void EmulatedDevice::release(Address address) noexcept
{
    if (address < kBaseAddress)
        return;
    std::lock_guard lock(m_mutex);
    auto it = m_used.find(address - kBaseAddress);
    if (it == m_used.end())
        return;
    std::size_t offset = it->first;
    std::size_t size = it->second;
    m_inUse -= size;
    m_used.erase(it);
    // Coalesce with the free neighbours so large allocations stay possible.
    auto next = m_free.lower_bound(offset);
    if (next != m_free.end() && offset + size == next->first) {
        size += next->second;
        next = m_free.erase(next);
    }
    if (next != m_free.begin()) {
        auto prev = std::prev(next);
        if (prev->first + prev->second == offset) {
            offset = prev->first;
            size += prev->second;
            m_free.erase(prev);
        }
    }
    m_free.emplace(offset, size);
}

std::size_t EmulatedDevice::bytesInUse() const
{
    std::lock_guard lock(m_mutex);
    return m_inUse;
}

std::byte *EmulatedDevice::translate(Address address, std::size_t bytes, const char *what) const
{
    std::lock_guard lock(m_mutex);
    const auto bad = [&] {
        char hex[32];
        std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(address));
        return Error(ErrorCode::OutOfRange,
                     std::string(what) + " of " + std::to_string(bytes) + " bytes at " + hex +
                         " is outside every allocation on " + device().toString());
    };
    if (address < kBaseAddress || address - kBaseAddress >= m_capacity)
        throw bad();
    const std::size_t offset = address - kBaseAddress;
    auto it = m_used.upper_bound(offset);
    if (it == m_used.begin())
        throw bad();
    --it;
    if (offset + bytes > it->first + it->second)
        throw bad();
    return m_arena + offset;
}

void EmulatedDevice::copyToHost(void *dst, Address src, std::size_t bytes)
{
    if (bytes)
        std::memcpy(dst, translate(src, bytes, "device-to-host copy"), bytes);
}

void EmulatedDevice::copyFromHost(Address dst, const void *src, std::size_t bytes)
{
    if (bytes)
        std::memcpy(translate(dst, bytes, "host-to-device copy"), src, bytes);
}

void EmulatedDevice::copyWithin(Address dst, Address src, std::size_t bytes)
{
    if (bytes)
        std::memmove(translate(dst, bytes, "device-to-device copy"), translate(src, bytes, "device-to-device copy"),
                     bytes);
}

} // namespace memscope::engine
