// SPDX-License-Identifier: GPL-3.0-or-later
// The file around the document: magic, version, one zstd frame of CBOR.
#include "engine/step/recording.h"

#include "engine/step/recordingschema.h"

#include <zstd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <system_error>

namespace memscope::engine {

using nlohmann::json;

namespace {

constexpr std::size_t kHeaderBytes = sizeof kRecordingMagic + 4;
// The document is a few levels deep; deeper nesting is refused before it can
// exhaust the stack of the (recursive) CBOR reader.
constexpr std::size_t kMaxDepth = 32;
constexpr int kZstdLevel = 3;

std::string bytesText(std::uint64_t n)
{
    return std::to_string(n) + " bytes";
}

// Builds the DOM like nlohmann's own parser, but stops at kMaxDepth and keeps
// the reader's message instead of throwing.
class BoundedDomSax : public nlohmann::json_sax<json>
{
public:
    explicit BoundedDomSax(json &root)
        : m_dom(root, false)
    { }
    bool null() override { return m_dom.null(); }
    bool boolean(bool v) override { return m_dom.boolean(v); }
    bool number_integer(number_integer_t v) override { return m_dom.number_integer(v); }
    bool number_unsigned(number_unsigned_t v) override { return m_dom.number_unsigned(v); }
    bool number_float(number_float_t v, const string_t &s) override { return m_dom.number_float(v, s); }
    bool string(string_t &v) override { return m_dom.string(v); }
    bool binary(binary_t &v) override { return m_dom.binary(v); }
    bool key(string_t &v) override { return m_dom.key(v); }
    bool start_object(std::size_t n) override { return enter() && m_dom.start_object(n); }
    bool end_object() override { return leave() && m_dom.end_object(); }
    bool start_array(std::size_t n) override { return enter() && m_dom.start_array(n); }
    bool end_array() override { return leave() && m_dom.end_array(); }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &e) override
    {
        m_error = e.what();
        return false;
    }
    const std::string &error() const { return m_error; }

private:
    bool enter()
    {
        if (++m_depth <= kMaxDepth)
            return true;
        m_error = "nested more than " + std::to_string(kMaxDepth) + " levels deep";
        return false;
    }
    bool leave()
    {
        --m_depth;
        return true;
    }

    nlohmann::detail::json_sax_dom_parser<json> m_dom;
    std::size_t m_depth = 0;
    std::string m_error;
};

// The frame's content, at most `limit` bytes; an error naming the problem
// otherwise. A declared size is checked before anything is allocated; an
// undeclared one grows with what actually decompresses.
std::string decompress(std::span<const std::uint8_t> frame, std::uint64_t limit, std::vector<std::uint8_t> &out)
{
    if (frame.empty())
        return "the file ends after its header: no compressed data";
    const unsigned long long declared = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (declared == ZSTD_CONTENTSIZE_ERROR)
        return "the compressed data is not a zstd frame (corrupt)";
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared > limit)
        return "the content would decompress to " + bytesText(declared) + ", more than the limit of " +
            bytesText(limit);
    std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
    if (!ctx)
        return "out of memory for the zstd decoder";
    // Bounds zstd's own window allocation too (a frame may ask for 2 GiB).
    ZSTD_DCtx_setParameter(ctx.get(), ZSTD_d_windowLogMax, 27);
    ZSTD_inBuffer in {frame.data(), frame.size(), 0};
    std::size_t produced = 0;
    // A declared size is trusted for the first allocation only as far as the
    // input could plausibly expand; beyond that the buffer doubles as it fills.
    const std::uint64_t plausible = std::max<std::uint64_t>(std::uint64_t {1} << 16, std::uint64_t {frame.size()} * 16);
    out.resize(static_cast<std::size_t>(
        declared != ZSTD_CONTENTSIZE_UNKNOWN ? std::clamp<std::uint64_t>(declared, 1, plausible) : plausible));
    for (;;) {
        if (produced == out.size()) {
            if (produced > limit)
                return "the content decompresses to more than the limit of " + bytesText(limit);
            out.resize(static_cast<std::size_t>(std::min<std::uint64_t>(std::uint64_t {out.size()} * 2, limit + 1)));
        }
        ZSTD_outBuffer ob {out.data(), out.size(), produced};
        const std::size_t ret = ZSTD_decompressStream(ctx.get(), &ob, &in);
        produced = ob.pos;
        if (ZSTD_isError(ret))
            return std::string("the compressed data is corrupt (zstd: ") + ZSTD_getErrorName(ret) + ")";
        if (produced > limit)
            return "the content decompresses to more than the limit of " + bytesText(limit);
        if (ret == 0)
            break; // the frame is complete
        if (in.pos == in.size && ob.pos < ob.size)
            return "the file is truncated: it ends inside the compressed data";
    }
    if (in.pos != in.size)
        return "the file has " + bytesText(in.size - in.pos) + " after the end of the compressed data";
    out.resize(produced);
    return {};
}

void putVersion(std::vector<std::uint8_t> &bytes, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        bytes.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint32_t getVersion(const std::uint8_t *p)
{
    return std::uint32_t {p[0]} | std::uint32_t {p[1]} << 8 | std::uint32_t {p[2]} << 16 | std::uint32_t {p[3]} << 24;
}

RecordingResult refused(std::string why)
{
    return {std::nullopt, std::move(why)};
}

RecordingResult decodeDocument(const json &root, std::uint32_t version)
{
    Recording r;
    if (!root.is_object())
        return refused(std::string("the content should be a map, not ") + root.type_name());
    for (const char *key : {"info", "values", "steps"})
        if (!root.contains(key))
            return refused(std::string("the content has no '") + key + "'");
    r.info = recording::infoFromJson(root["info"]);
    r.info.formatVersion = version;
    const json &values = root["values"];
    if (!values.is_array())
        return refused(std::string("'values' should be an array, not ") + values.type_name());
    std::vector<ValueBytes> table;
    table.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!values[i].is_binary())
            return refused("value blob " + std::to_string(i) + " should be a byte string, not " +
                           values[i].type_name());
        const auto &b = values[i].get_binary();
        const auto *p = reinterpret_cast<const std::byte *>(b.data());
        table.push_back(ValueBytes(std::vector<std::byte>(p, p + b.size())));
    }
    const json &steps = root["steps"];
    if (!steps.is_array())
        return refused(std::string("'steps' should be an array, not ") + steps.type_name());
    r.steps.reserve(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i)
        r.steps.push_back(recording::stepFromJson(steps[i], i, table));
    return {std::move(r), {}};
}

} // namespace

std::string recordingTimestamp()
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc {};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string encodeRecording(std::span<const std::shared_ptr<const Step>> steps, const RecordingInfo &info,
                            std::vector<std::uint8_t> &bytes)
{
    bytes.clear();
    try {
        recording::ValueTable values;
        json stepList = json::array();
        for (std::size_t i = 0; i < steps.size(); ++i) {
            if (!steps[i])
                return "step " + std::to_string(i) + " is missing (null)";
            // Never write what the reader would refuse.
            if (steps[i]->snapshot)
                if (std::string p = recording::snapshotProblem(*steps[i]->snapshot); !p.empty())
                    return "step " + std::to_string(i) + ", " + p;
            stepList.push_back(recording::stepToJson(*steps[i], values));
        }
        const json root = {
            {"info", recording::infoToJson(info)}, {"values", values.toJson()}, {"steps", std::move(stepList)}};
        const std::vector<std::uint8_t> cbor = json::to_cbor(root);
        bytes.assign(std::begin(kRecordingMagic), std::end(kRecordingMagic));
        putVersion(bytes, kRecordingFormatVersion);
        bytes.resize(kHeaderBytes + ZSTD_compressBound(cbor.size()));
        const std::size_t n = ZSTD_compress(bytes.data() + kHeaderBytes, bytes.size() - kHeaderBytes, cbor.data(),
                                            cbor.size(), kZstdLevel);
        if (ZSTD_isError(n)) {
            bytes.clear();
            return std::string("compressing failed: ") + ZSTD_getErrorName(n);
        }
        bytes.resize(kHeaderBytes + n);
        bytes.shrink_to_fit(); // the bound reserved for compression is about the CBOR's size: give it back
    } catch (const std::exception &e) {
        bytes.clear();
        return std::string("encoding failed: ") + e.what();
    }
    return {};
}

RecordingResult decodeRecording(std::span<const std::uint8_t> bytes, const RecordingLimits &limits)
{
    if (bytes.empty())
        return refused("the file is empty");
    const std::size_t magicSize = sizeof kRecordingMagic;
    const std::size_t compared = std::min(bytes.size(), magicSize);
    if (std::memcmp(bytes.data(), kRecordingMagic, compared) != 0)
        return refused("not a MemScope recording (its first bytes are not the recording magic \"MSREC\")");
    if (bytes.size() < kHeaderBytes)
        return refused("the file is truncated: " + bytesText(bytes.size()) + ", shorter than the " +
                       bytesText(kHeaderBytes) + " header");
    const std::uint32_t version = getVersion(bytes.data() + magicSize);
    if (version == 0)
        return refused("recording format 0 is not a valid version");
    if (version > kRecordingFormatVersion)
        return refused("recording format " + std::to_string(version) + " is newer than this MemScope reads (" +
                       std::to_string(kRecordingFormatVersion) + ")");
    try {
        std::vector<std::uint8_t> content;
        if (std::string why = decompress(bytes.subspan(kHeaderBytes), limits.maxContentBytes, content); !why.empty())
            return refused(why);
        json root;
        BoundedDomSax sax(root);
        if (!json::sax_parse(content.begin(), content.end(), &sax, json::input_format_t::cbor, true))
            return refused("the content is not valid CBOR: " +
                           (sax.error().empty() ? std::string("unreadable") : sax.error()));
        content = {}; // the document holds it all now
        return decodeDocument(root, version);
    } catch (const recording::SchemaError &e) {
        return refused(e.what());
    } catch (const std::bad_alloc &) {
        return refused("out of memory while reading the recording");
    } catch (const std::exception &e) {
        return refused(std::string("the recording could not be read: ") + e.what());
    }
}

std::string writeRecording(const std::filesystem::path &path, std::span<const std::shared_ptr<const Step>> steps,
                           const RecordingInfo &info)
{
    std::vector<std::uint8_t> bytes;
    if (std::string why = encodeRecording(steps, info, bytes); !why.empty())
        return why;
    std::filesystem::path tmp = path;
    tmp += ".part";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            return "cannot write " + tmp.string() + ": " + std::strerror(errno);
        out.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(tmp, ignored);
            return "writing " + tmp.string() + " failed: " + std::strerror(errno);
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        return "cannot replace " + path.string() + ": " + ec.message();
    }
    return {};
}

RecordingResult readRecording(const std::filesystem::path &path, const RecordingLimits &limits)
{
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        return refused("cannot open " + path.string() + ": no such file");
    if (!std::filesystem::is_regular_file(status))
        return refused("cannot open " + path.string() + ": not a regular file");
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec)
        return refused("cannot open " + path.string() + ": " + ec.message());
    if (size > limits.maxFileBytes)
        return refused(path.string() + " is " + bytesText(size) + ", more than the limit of " +
                       bytesText(limits.maxFileBytes));
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return refused("cannot open " + path.string() + ": " + std::strerror(errno));
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (in.gcount() != static_cast<std::streamsize>(bytes.size()))
        return refused("reading " + path.string() + " failed");
    RecordingResult r = decodeRecording(bytes, limits);
    if (!r.ok())
        r.error = path.filename().string() + ": " + r.error;
    return r;
}

Timeline::Packer recordingPacker()
{
    Timeline::Packer packer;
    packer.pack = [](const Step &step) {
        std::vector<std::uint8_t> bytes;
        const std::shared_ptr<const Step> one(std::shared_ptr<const Step> {}, &step); // not owned: encoded now
        if (!encodeRecording(std::span(&one, 1), RecordingInfo {}, bytes).empty())
            bytes.clear(); // not packed: the step stays as it is
        return bytes;
    };
    packer.unpack = [](std::span<const std::uint8_t> bytes) -> std::shared_ptr<const Step> {
        RecordingResult r = decodeRecording(bytes);
        // Packed by this process a moment ago; a failure here is a bug, shown as an empty step.
        if (!r.ok() || r.recording->steps.size() != 1) {
            auto broken = std::make_shared<Step>();
            broken->status = Step::Status::Error;
            broken->error = "MemScope could not unpack this step: " + r.error;
            broken->snapshot = std::make_shared<const Snapshot>();
            return broken;
        }
        return r.recording->steps.front();
    };
    return packer;
}

} // namespace memscope::engine
