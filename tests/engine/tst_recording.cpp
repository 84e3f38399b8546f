// SPDX-License-Identifier: GPL-3.0-or-later
// Recordings: a timeline written and read back equal field by field, with its
// shared values still shared; every malformed file refused with a message
// that says what is wrong and where, and no input crashing the reader.

#include <QTemporaryDir>
#include <QTest>

// moc (Qt 6.4) cannot parse GCC 12's <concepts>, and needs none of these.
#ifndef Q_MOC_RUN
#include "engine/step/recording.h"
#include "engine/step/timeline.h"
#include "stepdiff.h"
#include "stepfixtures.h"
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <zstd.h>
#endif

using namespace memscope::engine;
using memscope::test::addressOf;
using memscope::test::HostObjects;
using memscope::test::makeStep;
using memscope::test::stepDiff;
using nlohmann::json;

namespace {

using Steps = std::vector<std::shared_ptr<const Step>>;
using Bytes = std::vector<std::uint8_t>;

// The distinct value holders of some steps.
std::size_t distinctHolders(const Steps &steps)
{
    std::set<const void *> ids;
    for (const auto &s : steps)
        if (s->snapshot)
            for (const MemoryFact &f : s->snapshot->facts)
                if (!f.values.empty())
                    ids.insert(f.values.id());
    return ids.size();
}

// ---- a small session with every kind of field filled ----

struct Session
{
    HostObjects objects {3, 16};
    std::vector<double> device = std::vector<double>(4, 2.5); // stands for a copy of device memory
    Steps steps;
    RecordingInfo info;

    Session()
    {
        SnapshotBuilder builder;
        auto first = [&] {
            std::vector<MemoryFact> f {objects.fact(0)};
            f[0].valueHash = 0xFEDCBA9876543210ULL; // above INT64_MAX
            f[0].valueHashed = true;
            f[0].objectId = 0xFFFFFFFFFFFFFFF0ULL;
            return f;
        };
        steps.push_back(makeStep(builder, first(), "o0 = np.arange(16.0)", {{"o0", {"np"}}}));
        objects.arrays[1] = objects.arrays[0];
        auto withCopy = first();
        withCopy.push_back(objects.fact(1));
        steps.push_back(makeStep(builder, withCopy, "o1 = o0.copy()", {{"o1", {"o0"}}}));

        objects.arrays[0][3] = -1.0;
        std::vector<MemoryFact> many {objects.fact(0), objects.fact(1)};
        many[0].valueHash = 0xFEDCBA9876543210ULL;
        many[0].objectId = 0xFFFFFFFFFFFFFFF0ULL;
        MemoryFact view = objects.fact(0); // v = o0[::2], read-only, no values
        view.objectId = 77;
        view.names = {"v", "w"};
        view.shape = {8};
        view.strides = {16};
        view.readOnly = true;
        view.flags = {"requires_grad"};
        view.values = {};
        view.valuesCaptured = false;
        many.push_back(view);
        MemoryFact gpu; // an emulated device tensor with its values copied
        gpu.objectId = 78;
        gpu.names = {"g"};
        gpu.framework = Framework::Torch;
        gpu.typeName = "torch.Tensor";
        gpu.dtype = DType::Float64;
        gpu.shape = {2, 2};
        gpu.strides = {16, 8};
        gpu.data = 0x10000000;
        gpu.device = Device::cuda(0, true);
        gpu.values = ValueBytes::copyOf(std::as_bytes(std::span(device)));
        gpu.valuesCaptured = true;
        many.push_back(gpu);
        MemoryFact opaque = objects.fact(2); // a structured dtype: bytes known, values not shown
        opaque.objectId = 79;
        opaque.names = {"s"};
        opaque.unsupported = "structured dtype [('a', '<f8'), ('b', '<i4')]";
        opaque.opaqueItemSize = 12;
        opaque.shape = {2};
        opaque.strides = {12};
        opaque.values = {};
        opaque.valuesCaptured = false;
        many.push_back(opaque);
        auto third = makeStep(builder, many, "o0[3] = -1", {});
        auto edited = std::make_shared<Step>(*third);
        edited->status = Step::Status::Error;
        edited->output = "printed ✓\n";
        edited->outputAbridged = true;
        edited->error = "Traceback (most recent call last):\nValueError: x";
        edited->seconds = 1.0 / 3.0;
        steps.push_back(edited);

        auto exited = std::make_shared<Step>();
        exited->status = Step::Status::Exited;
        exited->code = "sys.exit(3)";
        exited->exitCode = 3;
        steps.push_back(exited); // no snapshot

        steps.push_back(makeStep(builder, many, "pass")); // nothing changed: values shared

        info.created = "2026-11-28T09:15:02Z";
        info.memscopeVersion = "0.1.0";
        info.pythonVersion = "3.11.2";
        info.frameworks = {{"numpy", "1.24.2"}, {"torch", "1.13.0a0"}};
        info.devices = {"cpu", "cuda:0 (emulated)"};
        info.source = "console";
        info.title = "the tutorial, step by step";
    }

    Bytes encoded() const
    {
        Bytes bytes;
        const std::string why = encodeRecording(steps, info, bytes);
        if (!why.empty())
            qFatal("encoding failed: %s", why.c_str());
        return bytes;
    }
};

// ---- malformed files, made here ----

Bytes header(std::uint32_t version = kRecordingFormatVersion)
{
    Bytes b(std::begin(kRecordingMagic), std::end(kRecordingMagic));
    for (int i = 0; i < 4; ++i)
        b.push_back(static_cast<std::uint8_t>(version >> (8 * i)));
    return b;
}

Bytes compress(const Bytes &content, bool declareSize = true)
{
    std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> ctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
    ZSTD_CCtx_setParameter(ctx.get(), ZSTD_c_contentSizeFlag, declareSize ? 1 : 0);
    Bytes out(ZSTD_compressBound(content.size()));
    const std::size_t n = ZSTD_compress2(ctx.get(), out.data(), out.size(), content.data(), content.size());
    if (ZSTD_isError(n))
        qFatal("zstd: %s", ZSTD_getErrorName(n));
    out.resize(n);
    return out;
}

Bytes framed(const Bytes &content, std::uint32_t version = kRecordingFormatVersion, bool declareSize = true)
{
    Bytes b = header(version);
    const Bytes z = compress(content, declareSize);
    b.insert(b.end(), z.begin(), z.end());
    return b;
}

Bytes framed(const json &document)
{
    return framed(json::to_cbor(document));
}

json documentOf(const Bytes &file)
{
    const std::uint8_t *frame = file.data() + 12;
    const std::size_t size = file.size() - 12;
    Bytes content(ZSTD_getFrameContentSize(frame, size));
    const std::size_t n = ZSTD_decompress(content.data(), content.size(), frame, size);
    if (ZSTD_isError(n))
        qFatal("zstd: %s", ZSTD_getErrorName(n));
    return json::from_cbor(content);
}

struct Malformed
{
    const char *name;
    std::function<void(json &)> change;
    const char *expected; // part of the message
};

// Step 1 is "o1 = o0.copy()": facts o0 and o1, one copy relation, one buffer each.
const std::vector<Malformed> &malformedDocuments()
{
    static const std::vector<Malformed> cases = {
        {"no info", [](json &d) { d.erase("info"); }, "the content has no 'info'"},
        {"no steps", [](json &d) { d.erase("steps"); }, "the content has no 'steps'"},
        {"steps not an array", [](json &d) { d["steps"] = 5; }, "'steps' should be an array, not number"},
        {"info field missing", [](json &d) { d["info"].erase("pythonVersion"); }, "info: 'pythonVersion' is missing"},
        {"frameworks mistyped", [](json &d) { d["info"]["frameworks"] = 5; },
         "info: 'frameworks' should be a map, not number"},
        {"framework version mistyped", [](json &d) { d["info"]["frameworks"]["numpy"] = 1; },
         "info: 'frameworks' entry \"numpy\" should be a string, not number"},
        {"value blob mistyped", [](json &d) { d["values"][0] = "abc"; },
         "value blob 0 should be a byte string, not string"},
        {"step not a map", [](json &d) { d["steps"][1] = json::array(); }, "step 1: should be a map, not array"},
        {"status unknown", [](json &d) { d["steps"][1]["status"] = "exploded"; },
         "step 1: 'status' is \"exploded\", which is not a known value"},
        {"range short",
         [](json &d) {
             d["steps"][1]["range"] = {1, 2};
         },
         "step 1: 'range' has 2 items, not 4"},
        {"exit code absurd", [](json &d) { d["steps"][1]["exitCode"] = std::int64_t {1} << 40; },
         "step 1: 'exitCode' is 1099511627776, out of range"},
        {"snapshot mistyped", [](json &d) { d["steps"][1]["snapshot"] = "x"; },
         "step 1, snapshot: should be a map, not string"},
        {"fact field missing", [](json &d) { d["steps"][1]["snapshot"]["facts"][0].erase("shape"); },
         "step 1, fact 0: 'shape' is missing"},
        {"shape mistyped", [](json &d) { d["steps"][1]["snapshot"]["facts"][0]["shape"] = "16"; },
         "step 1, fact 0: 'shape' should be an array, not string"},
        {"strides longer than shape",
         [](json &d) {
             d["steps"][1]["snapshot"]["facts"][0]["strides"] = {8, 8};
         },
         "step 1, fact 0: shape has 1 dims but strides 2"},
        {"negative dimension", [](json &d) { d["steps"][1]["snapshot"]["facts"][0]["shape"] = {-4}; },
         "step 1, fact 0: 'shape' item 0 is -4, out of range"},
        {"absurd shape",
         [](json &d) {
             auto &f = d["steps"][1]["snapshot"]["facts"][0];
             f["shape"] = {std::int64_t {1} << 40, std::int64_t {1} << 40};
             f["strides"] = {8, 8};
         },
         "step 1, fact 0: shape has a negative dimension or more elements than fit in 64 bits"},
        {"values of the wrong size", [](json &d) { d["steps"][1]["snapshot"]["facts"][0]["shape"] = {3}; },
         "step 1, fact 0: values hold 128 bytes, not numel × itemsize = 24"},
        {"values index out of range", [](json &d) { d["steps"][1]["snapshot"]["facts"][0]["values"] = 999; },
         "step 1, fact 0: 'values' is 999, but the recording has"},
        {"values without capture", [](json &d) { d["steps"][1]["snapshot"]["facts"][0]["valuesCaptured"] = false; },
         "step 1, fact 0: values present though valuesCaptured is false"},
        {"dtype unknown", [](json &d) { d["steps"][1]["snapshot"]["facts"][0]["dtype"] = "float128"; },
         "step 1, fact 0: 'dtype' is \"float128\", which is not a known value"},
        {"data negative", [](json &d) { d["steps"][1]["snapshot"]["facts"][0]["data"] = -5; },
         "step 1, fact 0: 'data' should be an unsigned integer, not -5"},
        {"device kind unknown", [](json &d) { d["steps"][1]["snapshot"]["facts"][0]["device"]["kind"] = "tpu"; },
         "step 1, fact 0, device: 'kind' is \"tpu\", not \"cpu\" or \"cuda\""},
        {"origins short", [](json &d) { d["steps"][1]["snapshot"]["origins"].erase(1); },
         "step 1, origins has 1 items for 2 facts"},
        {"relation out of range", [](json &d) { d["steps"][1]["snapshot"]["relations"][0]["to"] = 1000; },
         "step 1, relation 0: from 0 to 1000 is out of range (2 facts)"},
        {"relation kind unknown", [](json &d) { d["steps"][1]["snapshot"]["relations"][0]["relation"] = "teleport"; },
         "step 1, relation 0: 'relation' is \"teleport\", which is not a known value"},
        {"bufferOf out of range", [](json &d) { d["steps"][1]["snapshot"]["bufferOf"][0] = 50; },
         "step 1, fact 0: buffer 50 is out of range (2 buffers)"},
        {"buffer fact out of range", [](json &d) { d["steps"][1]["snapshot"]["buffers"][0]["facts"] = {7}; },
         "step 1, buffer 0: fact 7 is out of range (2 facts)"},
        {"buffer ends before it starts",
         [](json &d) {
             auto &b = d["steps"][1]["snapshot"]["buffers"][0];
             b["hi"] = b["lo"];
         },
         "step 1, buffer 0: its end is not after its start"},
        {"fact outside its buffer",
         [](json &d) {
             auto &f = d["steps"][1]["snapshot"]["facts"][0];
             f["data"] = f["data"].get<std::uint64_t>() + (std::uint64_t {1} << 40);
         },
         "step 1, fact 0: its bytes lie outside buffer"},
        {"strides overflow", [](json &d) { d["steps"][1]["snapshot"]["facts"][0]["strides"] = {INT64_MAX / 2}; },
         "step 1, fact 0: the byte extent of its strides overflows int64"},
        {"alias group out of range", [](json &d) { d["steps"][1]["snapshot"]["aliases"]["group"][1] = 9; },
         "step 1, fact 1: alias group 9 is out of range [0, 2)"},
        {"changed element out of range",
         [](json &d) {
             auto &s = d["steps"][1]["snapshot"];
             s["changed"][0] = {16};
             s["changedCount"][0] = 1;
         },
         "step 1, fact 0: changed element 16 is out of range (16 elements)"},
        {"traffic short", [](json &d) { d["steps"][1]["snapshot"]["traffic"] = {1}; },
         "step 1, snapshot: 'traffic' has 1 items, not 4"},
    };
    return cases;
}

} // namespace

class TestRecording : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripIsEqualStepByStep()
    {
        const Session session;
        const RecordingResult r = decodeRecording(session.encoded());
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.recording->info, session.info);
        QCOMPARE(r.recording->info.formatVersion, kRecordingFormatVersion);
        QCOMPARE(r.recording->steps.size(), session.steps.size());
        for (std::size_t i = 0; i < session.steps.size(); ++i) {
            const std::string diff = stepDiff(*session.steps[i], *r.recording->steps[i]);
            QVERIFY2(diff.empty(), ("step " + std::to_string(i) + ": " + diff).c_str());
        }
        // The fixture exercises what it claims to: relations of each kind, a device, changes.
        const Snapshot &third = *r.recording->steps[2]->snapshot;
        QVERIFY(!third.relations.empty());
        QCOMPARE(third.facts[static_cast<std::size_t>(third.indexOf("g"))].device, Device::cuda(0, true));
        QCOMPARE(third.changedCount[static_cast<std::size_t>(third.indexOf("o0"))], std::int64_t(1));
        QCOMPARE(r.recording->steps[1]->snapshot->relations.at(0).relation, Relation::Copy);
    }

    void sharingSurvivesTheRoundTrip()
    {
        const Session session;
        const RecordingResult r = decodeRecording(session.encoded());
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(distinctHolders(r.recording->steps), distinctHolders(session.steps));
        const Snapshot &a = *r.recording->steps[2]->snapshot;
        const Snapshot &b = *r.recording->steps[4]->snapshot;
        for (std::size_t i = 0; i < a.facts.size(); ++i)
            if (!a.facts[i].values.empty())
                QVERIFY(a.facts[i].values.sharesStorageWith(b.facts[i].values));
        // Each holder is stored once: the document has exactly that many blobs.
        QCOMPARE(documentOf(session.encoded())["values"].size(), distinctHolders(session.steps));
    }

    void droppedValuesAreRecorded()
    {
        const Session session;
        Timeline timeline(0);
        for (const auto &s : session.steps)
            timeline.append(s);
        QVERIFY(timeline.valuesDropped(0));
        Bytes bytes;
        QCOMPARE(encodeRecording(timeline.steps(), session.info, bytes), std::string());
        const RecordingResult r = decodeRecording(bytes);
        QVERIFY2(r.ok(), r.error.c_str());
        for (std::size_t i = 0; i < timeline.size(); ++i) {
            const std::string diff = stepDiff(*timeline.at(i), *r.recording->steps[i]);
            QVERIFY2(diff.empty(), ("step " + std::to_string(i) + ": " + diff).c_str());
        }
        QVERIFY(r.recording->steps[0]->snapshot->valuesDropped);
    }

    // The timeline's packer: steps over budget kept as one-step recordings,
    // equal field by field when unpacked, and far smaller.
    void packedStepsUnpackEqual()
    {
        const Session session;
        Timeline timeline(0);
        timeline.setPacker(recordingPacker());
        std::uint64_t unpacked = 0;
        for (const auto &s : session.steps) {
            timeline.append(s);
            if (s->snapshot)
                unpacked += Timeline::factBytes(*s->snapshot);
        }
        QCOMPARE(timeline.packedSteps(), session.steps.size() - 1); // never the live step
        // A packed step holds its compressed size, not the bound reserved to compress it.
        const std::vector<std::uint8_t> one = recordingPacker().pack(*session.steps[1]);
        QVERIFY(!one.empty());
        QCOMPARE(one.capacity(), one.size());
        QVERIFY(timeline.packedBytes() > 0);
        QVERIFY2(timeline.packedBytes() < unpacked, std::to_string(timeline.packedBytes()).c_str());
        Timeline dropped(0); // the same steps, values dropped and not packed
        for (const auto &s : session.steps)
            dropped.append(s);
        for (std::size_t i = 0; i < timeline.size(); ++i) {
            const std::string diff = stepDiff(*dropped.at(i), *timeline.at(i));
            QVERIFY2(diff.empty(), ("step " + std::to_string(i) + ": " + diff).c_str());
        }
    }

    void fileRoundTrip()
    {
        const Session session;
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath("run.msrec").toStdString();
        QCOMPARE(writeRecording(path, session.steps, session.info), std::string());
        QVERIFY(!std::filesystem::exists(path.string() + ".part"));
        const RecordingResult r = readRecording(path);
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.recording->steps.size(), session.steps.size());
        QCOMPARE(stepDiff(*session.steps[2], *r.recording->steps[2]), std::string());

        const RecordingResult missing = readRecording(dir.filePath("none.msrec").toStdString());
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error.find("no such file") != std::string::npos, missing.error.c_str());
        const RecordingResult directory = readRecording(dir.path().toStdString());
        QVERIFY2(directory.error.find("not a regular file") != std::string::npos, directory.error.c_str());
        QVERIFY(
            !writeRecording(dir.filePath("no/such/dir/x.msrec").toStdString(), session.steps, session.info).empty());
    }

    void writerRefusesWhatTheReaderWould()
    {
        auto step = std::make_shared<Step>();
        auto snapshot = std::make_shared<Snapshot>();
        snapshot->facts.push_back(HostObjects(1, 4).fact(0)); // and no per-fact lists
        step->snapshot = snapshot;
        Bytes bytes;
        QCOMPARE(encodeRecording(Steps {step}, {}, bytes), std::string("step 0, origins has 0 items for 1 facts"));
        QVERIFY(bytes.empty());
        QCOMPARE(encodeRecording(Steps {nullptr}, {}, bytes), std::string("step 0 is missing (null)"));
    }

    void refusesBadFraming_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("expected");
        const Bytes good = Session().encoded();
        const auto bytes = [](const Bytes &b) {
            return QByteArray(reinterpret_cast<const char *>(b.data()), static_cast<qsizetype>(b.size()));
        };
        const auto cut = [&](std::size_t n) { return bytes(Bytes(good.begin(), good.begin() + static_cast<long>(n))); };
        QTest::newRow("empty") << QByteArray() << "the file is empty";
        QTest::newRow("truncated in the magic") << cut(3) << "the file is truncated: 3 bytes, shorter than the 12";
        QTest::newRow("truncated in the version") << cut(10) << "the file is truncated: 10 bytes";
        QTest::newRow("header only") << cut(12) << "no compressed data";
        QTest::newRow("truncated in the frame header") << cut(14) << "not a zstd frame";
        QTest::newRow("truncated in half") << cut(good.size() / 2) << "truncated: it ends inside the compressed data";
        QTest::newRow("last byte missing") << cut(good.size() - 1) << "truncated: it ends inside the compressed data";
        Bytes magic = good;
        magic[1] = 'X';
        QTest::newRow("wrong magic") << bytes(magic) << "not a MemScope recording";
        QTest::newRow("text file") << QByteArray("hello, world\n") << "not a MemScope recording";
        Bytes newer = good;
        newer[8] = 7;
        QTest::newRow("newer version") << bytes(newer) << "recording format 7 is newer than this MemScope reads (1)";
        Bytes zero = good;
        zero[8] = 0;
        QTest::newRow("version 0") << bytes(zero) << "recording format 0 is not a valid version";
        Bytes notZstd = good;
        notZstd[12] ^= 0xFF;
        QTest::newRow("not zstd") << bytes(notZstd) << "not a zstd frame";
        Bytes trailing = good;
        trailing.push_back(0);
        QTest::newRow("bytes after the frame") << bytes(trailing) << "1 bytes after the end of the compressed data";
        Bytes garbage(4000);
        for (std::size_t i = 0; i < garbage.size(); ++i)
            garbage[i] = static_cast<std::uint8_t>((i * 7919) >> 3);
        QTest::newRow("zstd of garbage") << bytes(framed(garbage)) << "the content is not valid CBOR";
        QTest::newRow("zstd of nothing") << bytes(framed(Bytes {})) << "the content is not valid CBOR";
        Bytes deep(100000, 0x81); // [[[[...]]]]: would exhaust the stack of a recursive reader
        deep.push_back(0);
        QTest::newRow("nested too deep") << bytes(framed(deep)) << "nested more than 32 levels deep";
        QTest::newRow("not a map") << bytes(framed(json::array({1, 2}))) << "the content should be a map, not array";
    }

    void refusesBadFraming()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, expected);
        const RecordingResult r = decodeRecording(
            std::span(reinterpret_cast<const std::uint8_t *>(file.constData()), static_cast<std::size_t>(file.size())));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.find(expected.toStdString()) != std::string::npos, r.error.c_str());
    }

    void refusesMalformedDocuments_data()
    {
        QTest::addColumn<int>("index");
        for (std::size_t i = 0; i < malformedDocuments().size(); ++i)
            QTest::newRow(malformedDocuments()[i].name) << static_cast<int>(i);
    }

    void refusesMalformedDocuments()
    {
        QFETCH(int, index);
        const Malformed &m = malformedDocuments()[static_cast<std::size_t>(index)];
        json document = documentOf(Session().encoded());
        QVERIFY(decodeRecording(framed(document)).ok()); // the reference itself is fine
        m.change(document);
        const RecordingResult r = decodeRecording(framed(document));
        QVERIFY(!r.ok());
        QVERIFY2(r.error.find(m.expected) != std::string::npos, r.error.c_str());
    }

    // A size beyond the limit is refused before it is allocated, whether the
    // frame declares it or not.
    void refusesAbsurdSizes()
    {
        const Bytes good = Session().encoded();
        const RecordingResult declared = decodeRecording(good, {.maxContentBytes = 100});
        QVERIFY2(declared.error.find("would decompress to") != std::string::npos &&
                     declared.error.find("more than the limit of 100 bytes") != std::string::npos,
                 declared.error.c_str());
        const Bytes undeclared = framed(json::to_cbor(documentOf(good)), kRecordingFormatVersion, false);
        QVERIFY(decodeRecording(undeclared).ok());
        const RecordingResult streamed = decodeRecording(undeclared, {.maxContentBytes = 100});
        QVERIFY2(streamed.error.find("decompresses to more than the limit of 100 bytes") != std::string::npos,
                 streamed.error.c_str());
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath("big.msrec").toStdString();
        QCOMPARE(writeRecording(path, Session().steps, {}), std::string());
        const RecordingResult big = readRecording(path, {.maxFileBytes = 10});
        QVERIFY2(big.error.find("more than the limit of 10 bytes") != std::string::npos, big.error.c_str());
    }

    // Every truncation and every single-byte change of a small recording is
    // either read or refused with a message; none crashes (run under ASan).
    void neverCrashes()
    {
        const Bytes good = Session().encoded();
        for (std::size_t n = 0; n < good.size(); ++n) {
            const RecordingResult r = decodeRecording(std::span(good.data(), n));
            QVERIFY(!r.ok());
            QVERIFY(!r.error.empty());
        }
        Bytes changed = good;
        for (std::size_t i = 0; i < changed.size(); ++i) {
            const std::uint8_t old = changed[i];
            changed[i] = static_cast<std::uint8_t>(old ^ 0x5A);
            const RecordingResult r = decodeRecording(changed);
            QVERIFY(r.ok() || !r.error.empty());
            changed[i] = old;
        }
        // And each byte of the content (inside the compression) too.
        const Bytes content = json::to_cbor(documentOf(good));
        Bytes body = content;
        for (std::size_t i = 0; i < body.size(); i += 3) {
            const std::uint8_t old = body[i];
            body[i] = static_cast<std::uint8_t>(old + 0x41);
            const RecordingResult r = decodeRecording(framed(body));
            QVERIFY(r.ok() || !r.error.empty());
            body[i] = old;
        }
    }

    void timestampIsIso8601Utc()
    {
        const std::string t = recordingTimestamp();
        QCOMPARE(t.size(), std::size_t(20));
        QCOMPARE(t[4], '-');
        QCOMPARE(t[10], 'T');
        QCOMPARE(t.back(), 'Z');
    }
};

QTEST_APPLESS_MAIN(TestRecording)
#include "tst_recording.moc"
