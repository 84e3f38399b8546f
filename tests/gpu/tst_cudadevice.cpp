// SPDX-License-Identifier: GPL-3.0-or-later
// Real-GPU checks. Plain C++ (no Qt) so it builds and runs on GPU machines that
// have no Qt. Exits 77 (ctest: skipped) when no GPU is usable, saying why.

#include "engine/error.h"
#include "engine/operations.h"
#include "engine/runtime.h"

#include <cstdio>
#include <cstdlib>
#include <numeric>

using namespace memscope::engine;

namespace {

int failures = 0;

void check(bool ok, const char *what, int line)
{
    if (!ok) {
        std::fprintf(stderr, "FAIL line %d: %s\n", line, what);
        ++failures;
    } else {
        std::printf("ok   %s\n", what);
    }
}
#define CHECK(cond) check((cond), #cond, __LINE__)

std::vector<Scalar> iota(std::size_t n)
{
    std::vector<Scalar> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<double>(i);
    return v;
}

} // namespace

int main()
{
    Runtime runtime;
    std::printf("%s\n", runtime.cudaStatus().c_str());
    if (!runtime.hasRealCuda()) {
        std::printf("SKIP: no usable GPU (%s)\n", runtime.cudaStatus().c_str());
        return 77;
    }
    const Device gpu = runtime.resolve("cuda:0");
    CHECK(!gpu.emulated);
    std::printf("device: %s\n", runtime.backend(gpu)->description().c_str());

    // Round trip keeps the values; the device copy is another address space.
    EventLog log;
    const auto values = iota(12);
    Tensor host = Tensor::fromValues(runtime, Device::cpu(), DType::Float32, {3, 4}, values);
    Tensor dev = to(runtime, host, gpu, false, &log);
    CHECK(dev.device() == gpu);
    CHECK(log.events().back().relation == Relation::Transfer);
    CHECK(log.totalBytes(Direction::H2D) == 48);
    Tensor back = to(runtime, dev, Device::cpu(), false, &log);
    CHECK(log.totalBytes(Direction::D2H) == 48);
    CHECK(back.values() == host.values());

    // Single-element read and write on the device.
    const std::int64_t idx[] = {1, 2};
    dev.setFromText(idx, "-7.5");
    CHECK(std::get<double>(dev.get(idx)) == -7.5);
    CHECK(std::get<double>(host.get(idx)) == 6.0); // the host original is a different buffer

    // Strided copy on the device runs the gather kernel: D2D only, no host trip.
    Tensor t = dev.transpose();
    const auto before = log.totalBytes(Direction::D2H);
    Tensor c = copy(runtime, t, &log);
    CHECK(log.events().back().relation == Relation::Copy);
    CHECK(log.totalBytes(Direction::D2H) == before);
    CHECK(log.totalBytes(Direction::D2D) == 48);
    const auto tv = t.values();
    const auto cv = c.values();
    CHECK(tv == cv);

    // Same-device to() is the same tensor: observed as an alias.
    Tensor same = to(runtime, dev, gpu, false, &log);
    CHECK(log.events().back().relation == Relation::Alias);
    CHECK(same.data() == dev.data());

    // dtype conversion on the device (staged through the host).
    Tensor asInt = astype(runtime, dev, DType::Int32, true, &log);
    CHECK(log.events().back().relation == Relation::Convert);
    CHECK(std::get<std::int64_t>(asInt.get(idx)) == -7);

    // Out of memory is an error, not a crash.
    bool oom = false;
    try {
        Tensor::empty(runtime, gpu, DType::Float64, {std::int64_t {1} << 50});
    } catch (const Error &e) {
        oom = e.code() == ErrorCode::OutOfMemory || e.code() == ErrorCode::DeviceError;
        std::printf("ok   huge allocation refused: %s\n", e.what());
    }
    CHECK(oom);

    // Pinned host memory is host memory.
    auto pinned = runtime.pinnedHost();
    CHECK(pinned->hostAccessible());
    const Address p = pinned->allocate(1024);
    pinned->release(p);

    std::printf("%s\n", failures ? "FAILED" : "PASSED");
    return failures ? 1 : 0;
}
