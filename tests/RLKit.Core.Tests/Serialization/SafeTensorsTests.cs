using System.Buffers.Binary;
using System.Text;
using RLKit.Serialization;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Serialization;

[TestFixture]
public sealed class SafeTensorsTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "rlkit-safetensors-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    // ----------------------------------------------------------------------------------------
    // Round trips
    // ----------------------------------------------------------------------------------------

    private static Dictionary<string, Tensor> SampleTensors(RandomGenerator rng)
    {
        var special = Tensor.FromArray(
        [
            float.NaN, BitConverter.Int32BitsToSingle(0x7FC0_1234), -0f, float.PositiveInfinity,
            float.NegativeInfinity, float.Epsilon, float.MaxValue, -1.5f,
        ], 2, 4);
        return new Dictionary<string, Tensor>
        {
            ["policy.weight"] = Tensor.RandomNormal(rng, [3, 5]),
            ["policy.bias"] = Tensor.RandomNormal(rng, [5]),
            ["log_std"] = Tensor.Scalar(-0.693f),
            ["empty"] = Tensor.Zeros(0, 4),
            ["odd"] = Tensor.RandomUniform(rng, [1, 7, 1], -3f, 3f),
            ["special"] = special,
            ["ünïcode/名前"] = Tensor.FromArray([42f]),
        };
    }

    private static void AssertBitExact(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual)
    {
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (name, tensor) in expected)
        {
            var loaded = actual[name];
            Assert.That(loaded.ShapeArray(), Is.EqualTo(tensor.ShapeArray()), $"shape of '{name}'");
            var expectedBits = tensor.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
            var actualBits = loaded.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
            Assert.That(actualBits, Is.EqualTo(expectedBits), $"bits of '{name}'");
        }
    }

    [Test]
    public void SaveThenLoad_RoundTripsTensorsAndMetadataBitExactly()
    {
        var tensors = SampleTensors(GradCheck.TestRng());
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["step"] = "12345", ["note"] = "quote \" and \\ and\nnewline" };
        string path = Path.Combine(_directory, "model.safetensors");

        SafeTensors.Save(path, tensors, metadata);
        var file = SafeTensors.Load(path);

        AssertBitExact(tensors, file.Tensors);
        Assert.That(file.Metadata, Is.EquivalentTo(metadata));
        Assert.That(file.Tensors["log_std"].Rank, Is.Zero);
        Assert.That(file.Tensors["empty"].Size, Is.Zero);
        Assert.That(file.Tensors.Values.All(t => !t.RequiresGrad), Is.True);
    }

    [Test]
    public void LoadedTensors_AreInHeaderOrder_WhichIsSortedByName()
    {
        var tensors = SampleTensors(GradCheck.TestRng());
        string path = Path.Combine(_directory, "model.safetensors");
        SafeTensors.Save(path, tensors);

        var names = SafeTensors.Load(path).Tensors.Keys.ToArray();

        var sortedByUtf8 = tensors.Keys.OrderBy(k => Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToArray();
        Assert.That(names, Is.EqualTo(sortedByUtf8));
    }

    [Test]
    public void StreamRoundTrip_WorksForSeekableAndNonSeekableStreams_WithoutMetadata()
    {
        var tensors = SampleTensors(GradCheck.TestRng());
        var buffer = new MemoryStream();
        SafeTensors.Write(buffer, tensors);
        byte[] bytes = buffer.ToArray();

        var seekable = SafeTensors.Read(new MemoryStream(bytes));
        var forwardOnly = SafeTensors.Read(new ForwardOnlyStream(bytes));

        AssertBitExact(tensors, seekable.Tensors);
        AssertBitExact(tensors, forwardOnly.Tensors);
        Assert.That(seekable.Metadata, Is.Empty);
        Assert.That(Encoding.UTF8.GetString(bytes), Does.Not.Contain("__metadata__"));
    }

    [Test]
    public void Load_InsideTensorScope_ReturnsTensorsThatOutliveTheScope()
    {
        string path = Path.Combine(_directory, "w.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f, 2f, 3f]) });

        SafeTensorsFile file;
        using (TensorScope.Begin())
            file = SafeTensors.Load(path);

        Assert.That(file.Tensors["w"].ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f }));
    }

    [Test]
    public void Write_IsDeterministic_RegardlessOfDictionaryOrder()
    {
        var rng = GradCheck.TestRng();
        var a = Tensor.RandomNormal(rng, [2, 3]);
        var b = Tensor.RandomNormal(rng, [4]);
        var first = new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b };
        var second = new Dictionary<string, Tensor> { ["b"] = b, ["a"] = a };
        var metaFirst = new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" };
        var metaSecond = new Dictionary<string, string> { ["y"] = "2", ["x"] = "1" };

        var s1 = new MemoryStream();
        var s2 = new MemoryStream();
        SafeTensors.Write(s1, first, metaFirst);
        SafeTensors.Write(s2, second, metaSecond);

        Assert.That(s2.ToArray(), Is.EqualTo(s1.ToArray()));
    }

    // ----------------------------------------------------------------------------------------
    // Byte-level compatibility
    // ----------------------------------------------------------------------------------------

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] F32(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    [Test]
    public void Write_ProducesTheReferenceByteLayout()
    {
        var tensors = new Dictionary<string, Tensor>
        {
            ["b"] = Tensor.FromArray([1f, -2f]),
            ["a"] = Tensor.Scalar(0.5f),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };

        // What huggingface safetensors writes: compact JSON, __metadata__ first, tensors sorted by
        // name, padded with spaces so 8 + N is a multiple of 8, then little-endian float32 data.
        const string json = "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        Assert.That(json.Length, Is.EqualTo(138));
        string padded = json + "      ";
        byte[] expected = Concat(U64(144), Encoding.ASCII.GetBytes(padded), F32(0.5f, 1f, -2f));

        var stream = new MemoryStream();
        SafeTensors.Write(stream, tensors, metadata);

        Assert.That(stream.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Write_WithoutMetadata_MatchesTheReferenceBytes()
    {
        // safetensors.torch.save_file({"x": torch.tensor([[1., 2.], [3., 4.]])}) writes exactly this.
        const string json = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        Assert.That(json.Length, Is.EqualTo(57));
        byte[] expected = Concat(U64(64), Encoding.ASCII.GetBytes(json + "       "), F32(1f, 2f, 3f, 4f));

        var stream = new MemoryStream();
        SafeTensors.Write(stream, new Dictionary<string, Tensor> { ["x"] = Tensor.FromArray(new float[,] { { 1f, 2f }, { 3f, 4f } }) });

        Assert.That(stream.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Read_AcceptsHandBuiltFileWithUnpaddedHeaderAndUnsortedKeys()
    {
        const string json = "{\"z\":{\"data_offsets\":[0,8],\"shape\":[2],\"dtype\":\"F32\"},\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[8,12]}}";
        byte[] bytes = Concat(U64((ulong)json.Length), Encoding.ASCII.GetBytes(json), F32(3f, -4f, 7.25f));

        var file = SafeTensors.Read(new MemoryStream(bytes));

        Assert.That(file.Tensors.Keys, Is.EqualTo(new[] { "z", "a" }));
        Assert.That(file.Tensors["z"].ToArray(), Is.EqualTo(new[] { 3f, -4f }));
        Assert.That(file.Tensors["a"].ShapeArray(), Is.EqualTo(new[] { 1, 1 }));
        Assert.That(file.Tensors["a"].Item(), Is.EqualTo(7.25f));
        Assert.That(file.Metadata["k"], Is.EqualTo("v"));
    }

    [Test]
    public void Read_ConvertsF16Bf16AndF64ToFloat32()
    {
        ushort[] halfBits = [0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x7C00, 0x8000];
        float[] halfValues = [1f, -2f, 0.5f, 65504f, 5.9604645e-8f, float.PositiveInfinity, -0f];
        ushort[] bf16Bits = [0x3F80, 0xC020, 0x4049, 0xFF80];
        float[] bf16Values = [1f, -2.5f, 3.140625f, float.NegativeInfinity];
        double[] doubles = [0.1, -1e-3, 12345.678];

        var data = new List<byte>();
        foreach (ushort bits in halfBits) data.AddRange(BitConverter.IsLittleEndian ? BitConverter.GetBytes(bits) : BitConverter.GetBytes(bits).Reverse());
        foreach (ushort bits in bf16Bits) data.AddRange(BitConverter.IsLittleEndian ? BitConverter.GetBytes(bits) : BitConverter.GetBytes(bits).Reverse());
        foreach (double d in doubles)
        {
            var b = new byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(b, d);
            data.AddRange(b);
        }
        string json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[7],\"data_offsets\":[0,14]},"
            + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[14,22]},"
            + "\"d\":{\"dtype\":\"F64\",\"shape\":[3,1],\"data_offsets\":[22,46]}}";
        byte[] bytes = Concat(U64((ulong)json.Length), Encoding.ASCII.GetBytes(json), data.ToArray());

        var file = SafeTensors.Read(new MemoryStream(bytes));

        Assert.That(file.Tensors["h"].ToArray(), Is.EqualTo(halfValues));
        Assert.That(BitConverter.SingleToInt32Bits(file.Tensors["h"].ToArray()[6]), Is.EqualTo(BitConverter.SingleToInt32Bits(-0f)));
        Assert.That(file.Tensors["bf"].ShapeArray(), Is.EqualTo(new[] { 2, 2 }));
        Assert.That(file.Tensors["bf"].ToArray(), Is.EqualTo(bf16Values));
        Assert.That(file.Tensors["d"].ShapeArray(), Is.EqualTo(new[] { 3, 1 }));
        Assert.That(file.Tensors["d"].ToArray(), Is.EqualTo(doubles.Select(d => (float)d).ToArray()));
    }

    [Test]
    public void Read_ConvertsLargeF16TensorsAcrossChunkBoundaries()
    {
        // More elements than one 64 KiB conversion chunk holds, so the chunk loop is exercised.
        const int count = 70_001;
        var rng = GradCheck.TestRng();
        var halves = new Half[count];
        var bytes = new byte[count * 2];
        for (int i = 0; i < count; i++)
        {
            halves[i] = (Half)rng.Uniform(-100, 100);
            BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), halves[i]);
        }
        string json = $"{{\"h\":{{\"dtype\":\"F16\",\"shape\":[{count}],\"data_offsets\":[0,{count * 2}]}}}}";

        var file = SafeTensors.Read(new ForwardOnlyStream(Concat(U64((ulong)json.Length), Encoding.ASCII.GetBytes(json), bytes)));

        Assert.That(file.Tensors["h"].ToArray(), Is.EqualTo(halves.Select(h => (float)h).ToArray()));
    }

    // ----------------------------------------------------------------------------------------
    // Corrupt and truncated input
    // ----------------------------------------------------------------------------------------

    private static byte[] ValidFileBytes()
    {
        var stream = new MemoryStream();
        SafeTensors.Write(stream, new Dictionary<string, Tensor>
        {
            ["a"] = Tensor.FromArray([1f, 2f, 3f]),
            ["b"] = Tensor.FromArray([4f, 5f, 6f, 7f], 2, 2),
        }, new Dictionary<string, string> { ["m"] = "n" });
        return stream.ToArray();
    }

    [Test]
    public void TruncatedData_IsRejected_AtEveryKindOfCutPoint()
    {
        byte[] bytes = ValidFileBytes();
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        int[] cuts = [0, 1, 7, 8, 9, headerEnd / 2, headerEnd - 1, headerEnd, headerEnd + 1, headerEnd + 12, bytes.Length - 4, bytes.Length - 1];

        foreach (int cut in cuts)
        {
            byte[] truncated = bytes[..cut];
            Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new MemoryStream(truncated)), $"seekable, cut at {cut}");
            var forwardOnly = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new ForwardOnlyStream(truncated)), $"forward-only, cut at {cut}");
            Assert.That(forwardOnly!.Message, Does.Contain("truncated").Or.Contain("shorter than").Or.Contain("not valid JSON"), $"cut at {cut}");
        }
    }

    [Test]
    public void TruncatedFile_ErrorNamesTheFileAndTheProblem()
    {
        byte[] bytes = ValidFileBytes();
        string path = Path.Combine(_directory, "cut.safetensors");
        File.WriteAllBytes(path, bytes[..^2]);

        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));

        Assert.That(e!.Message, Does.Contain(path).And.Contain("truncated"));
        Assert.That(e.FilePath, Is.EqualTo(Path.GetFullPath(path)));
    }

    [Test]
    public void TrailingBytesAfterTheLastTensor_AreRejected()
    {
        byte[] bytes = Concat(ValidFileBytes(), [0, 0, 0, 0]);

        var seekable = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new MemoryStream(bytes)));
        var forwardOnly = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new ForwardOnlyStream(bytes)));

        Assert.That(seekable!.Message, Does.Contain("unexpected bytes"));
        Assert.That(forwardOnly!.Message, Does.Contain("unexpected bytes"));
    }

    private static byte[] FileWithHeader(string json, int dataBytes) =>
        Concat(U64((ulong)Encoding.UTF8.GetByteCount(json)), Encoding.UTF8.GetBytes(json), new byte[dataBytes]);

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    private static IEnumerable<TestCaseData> CorruptHeaders()
    {
        yield return new TestCaseData("{\"a\":{\"dtype\":\"F32\"", 0, "not valid JSON").SetName("Corrupt_UnterminatedJson");
        yield return new TestCaseData("not json at all", 0, "not valid JSON").SetName("Corrupt_NotJson");
        yield return new TestCaseData("", 0, "not valid JSON").SetName("Corrupt_EmptyHeader");
        yield return new TestCaseData("[1,2]", 0, "must be a JSON object").SetName("Corrupt_HeaderIsArray");
        yield return new TestCaseData("{\"a\":[0,4]}", 4, "must be an object").SetName("Corrupt_EntryNotObject");
        yield return new TestCaseData("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "'dtype'").SetName("Corrupt_MissingDtype");
        yield return new TestCaseData("{" + Entry("a", "F33", "[1]", 0, 4) + "}", 4, "unknown dtype 'F33'").SetName("Corrupt_UnknownDtype");
        yield return new TestCaseData("{" + Entry("a", "I64", "[1]", 0, 8) + "}", 8, "cannot load").SetName("Corrupt_UnsupportedDtype");
        yield return new TestCaseData("{" + Entry("a", "F32", "[2,-1]", 0, 0) + "}", 0, "negative dimension").SetName("Corrupt_NegativeDim");
        yield return new TestCaseData("{" + Entry("a", "F32", "[1.5]", 0, 4) + "}", 4, "list of integers").SetName("Corrupt_FractionalDim");
        yield return new TestCaseData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4, "data_offsets").SetName("Corrupt_OneOffset");
        yield return new TestCaseData("{" + Entry("a", "F32", "[1]", -4, 0) + "}", 4, "non-negative").SetName("Corrupt_NegativeOffset");
        yield return new TestCaseData("{" + Entry("a", "F32", "[2]", 8, 0) + "}", 8, "end before they begin").SetName("Corrupt_EndBeforeBegin");
        yield return new TestCaseData("{" + Entry("a", "F32", "[2]", 0, 12) + "}", 12, "need 8 bytes").SetName("Corrupt_OffsetsDisagreeWithShape");
        yield return new TestCaseData("{" + Entry("a", "F16", "[2]", 0, 8) + "}", 8, "need 4 bytes").SetName("Corrupt_OffsetsDisagreeWithDtype");
        yield return new TestCaseData("{" + Entry("a", "F32", "[100]", 0, 400) + "}", 8, "truncated").SetName("Corrupt_OffsetsBeyondBuffer");
        yield return new TestCaseData("{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 4, 12) + "}", 12, "overlap").SetName("Corrupt_OverlappingOffsets");
        yield return new TestCaseData("{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 0, 8) + "}", 8, "overlap").SetName("Corrupt_SameOffsets");
        yield return new TestCaseData("{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 12, 20) + "}", 20, "hole").SetName("Corrupt_HoleBetweenTensors");
        yield return new TestCaseData("{" + Entry("a", "F32", "[2]", 4, 12) + "}", 12, "start at offset 0").SetName("Corrupt_HoleAtStart");
        yield return new TestCaseData("{" + Entry("a", "F32", "[2]", 0, 8) + "}", 12, "unexpected bytes").SetName("Corrupt_BufferLongerThanLastOffset");
        yield return new TestCaseData("{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("a", "F32", "[2]", 8, 16) + "}", 16, "more than once").SetName("Corrupt_DuplicateName");
        yield return new TestCaseData("{\"__metadata__\":{\"k\":1}}", 0, "must be a string").SetName("Corrupt_NonStringMetadata");
        yield return new TestCaseData("{\"__metadata__\":[\"k\"]}", 0, "JSON object of strings").SetName("Corrupt_MetadataNotObject");
        yield return new TestCaseData("{" + Entry("a", "F32", "[65536,65536]", 0, 17179869184) + "}", 0, "more elements").SetName("Corrupt_TooManyElements");
    }

    [TestCaseSource(nameof(CorruptHeaders))]
    public void CorruptHeader_IsRejectedWithAClearMessage(string json, int dataBytes, string expectedMessagePart)
    {
        byte[] bytes = FileWithHeader(json, dataBytes);

        var seekable = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new MemoryStream(bytes)));
        var forwardOnly = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new ForwardOnlyStream(bytes)));

        Assert.That(seekable!.Message, Does.Contain(expectedMessagePart));
        Assert.That(forwardOnly!.Message, Does.Contain(expectedMessagePart));
    }

    [Test]
    public void HeaderWithInvalidUtf8_IsRejected()
    {
        byte[] json = Concat(Encoding.ASCII.GetBytes("{\"a"), [0xC3, 0x28], Encoding.ASCII.GetBytes("\":{}}"));
        byte[] bytes = Concat(U64((ulong)json.Length), json);

        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new MemoryStream(bytes)));

        Assert.That(e!.Message, Does.Contain("not valid UTF-8"));
    }

    [Test]
    public void AbsurdHeaderSize_IsRejectedBeforeAllocating()
    {
        byte[] tooLarge = Concat(U64(SafeTensors.MaxHeaderSize + 1UL), Encoding.ASCII.GetBytes("{}"));
        byte[] huge = Concat(U64(ulong.MaxValue), Encoding.ASCII.GetBytes("{}"));
        byte[] longerThanFile = Concat(U64(1000), Encoding.ASCII.GetBytes("{}"));

        Assert.That(Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new ForwardOnlyStream(tooLarge)))!.Message, Does.Contain("limit"));
        Assert.That(Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new MemoryStream(huge)))!.Message, Does.Contain("limit"));
        Assert.That(Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new MemoryStream(longerThanFile)))!.Message, Does.Contain("only 2 bytes follow"));
        Assert.That(Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new ForwardOnlyStream(longerThanFile)))!.Message, Does.Contain("truncated inside the header"));
    }

    [Test]
    public void NonSeekableStream_WhoseHeaderClaimsAHugeTensor_FailsFastWithoutAllocatingIt()
    {
        // 1.92 GB declared, 16 bytes present: the tensor must not be allocated before its bytes arrive.
        byte[] lying = FileWithHeader("{" + Entry("w", "F32", "[480000000]", 0, 1_920_000_000) + "}", 16);
        var stream = new ForwardOnlyStream(lying);

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(stream));
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.That(e!.Message, Does.Contain("truncated").And.Contain("after 16 of the 1920000000 bytes").And.Contain("'w'"));
        Assert.That(clock.ElapsedMilliseconds, Is.LessThan(100));
        Assert.That(allocated, Is.LessThan(4 << 20), "allocated bytes");
    }

    [Test]
    public void NonSeekableStream_WhoseHeaderSizeIsALie_FailsWithoutAllocatingTheClaimedHeader()
    {
        byte[] lying = Concat(U64(SafeTensors.MaxHeaderSize), Encoding.ASCII.GetBytes("{}"));
        var stream = new ForwardOnlyStream(lying);

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(stream));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.That(e!.Message, Does.Contain("truncated inside the header").And.Contain("found 2"));
        Assert.That(allocated, Is.LessThan(4 << 20), "allocated bytes");
    }

    [Test]
    public void NonSeekableStream_DeclaringMoreThanMaxBytes_IsRejectedNamingTheLimit()
    {
        // 4.8 GB of F64 declared: over the 4 GiB default.
        byte[] huge = FileWithHeader("{" + Entry("w", "F64", "[600000000]", 0, 4_800_000_000) + "}", 16);
        var byDefault = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new ForwardOnlyStream(huge)));
        Assert.That(byDefault!.Message, Does.Contain("maxBytes").And.Contain(SafeTensors.DefaultMaxBytes.ToString()).And.Contain("4800000000"));

        byte[] valid = FileWithHeader("{" + Entry("w", "F32", "[4]", 0, 16) + "}", 16);
        var tight = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(new ForwardOnlyStream(valid), maxBytes: 15));
        Assert.That(tight!.Message, Does.Contain("maxBytes (15)"));
        Assert.That(SafeTensors.Read(new ForwardOnlyStream(valid), maxBytes: 16).Tensors["w"].ToArray(), Is.EqualTo(new float[4]));
        Assert.That(SafeTensors.Read(new MemoryStream(valid), maxBytes: 0).Tensors["w"].Size, Is.EqualTo(4), "a seekable stream is bounded by its length");
        Assert.Throws<ArgumentOutOfRangeException>(() => SafeTensors.Read(new MemoryStream(valid), maxBytes: -1));
    }

    [Test]
    public void FileShorterThanTheSizePrefix_IsRejected()
    {
        string path = Path.Combine(_directory, "tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));

        Assert.That(e!.Message, Does.Contain("only 3 bytes long").And.Contain(path));
    }

    [Test]
    public void EmptyFileWithNoTensors_IsValid()
    {
        byte[] bytes = Concat(U64(8), Encoding.ASCII.GetBytes("{}      "));

        var file = SafeTensors.Read(new MemoryStream(bytes));

        Assert.That(file.Tensors, Is.Empty);
        Assert.That(file.Metadata, Is.Empty);
    }

    [Test]
    public void EmptyTensorsSharingAnOffset_AreValid()
    {
        string json = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("e", "F32", "[0,3]", 0, 0) + "," + Entry("f", "F16", "[0]", 8, 8) + "}";
        byte[] bytes = Concat(U64((ulong)json.Length), Encoding.ASCII.GetBytes(json), F32(1f, 2f));

        var file = SafeTensors.Read(new MemoryStream(bytes));

        Assert.That(file.Tensors["a"].ToArray(), Is.EqualTo(new[] { 1f, 2f }));
        Assert.That(file.Tensors["e"].ShapeArray(), Is.EqualTo(new[] { 0, 3 }));
        Assert.That(file.Tensors["f"].Size, Is.Zero);
    }

    // ----------------------------------------------------------------------------------------
    // Write-side validation and atomicity
    // ----------------------------------------------------------------------------------------

    [Test]
    public void Write_RejectsBadNamesAndNullsWithArgumentNames()
    {
        var ok = Tensor.FromArray([1f]);
        var stream = new MemoryStream();

        var empty = Assert.Throws<ArgumentException>(() => SafeTensors.Write(stream, new Dictionary<string, Tensor> { [""] = ok }));
        var reserved = Assert.Throws<ArgumentException>(() => SafeTensors.Write(stream, new Dictionary<string, Tensor> { ["__metadata__"] = ok }));
        var nullTensor = Assert.Throws<ArgumentNullException>(() => SafeTensors.Write(stream, new Dictionary<string, Tensor> { ["w"] = null! }));
        var nullDict = Assert.Throws<ArgumentNullException>(() => SafeTensors.Write(stream, null!));
        var nullStream = Assert.Throws<ArgumentNullException>(() => SafeTensors.Write(null!, new Dictionary<string, Tensor>()));
        var nullMeta = Assert.Throws<ArgumentNullException>(() => SafeTensors.Write(stream, new Dictionary<string, Tensor> { ["w"] = ok }, new Dictionary<string, string> { ["k"] = null! }));
        var badUnicode = Assert.Throws<ArgumentException>(() => SafeTensors.Write(stream, new Dictionary<string, Tensor> { ["w\uD800"] = ok }));

        Assert.That(empty!.ParamName, Is.EqualTo("tensors"));
        Assert.That(reserved!.ParamName, Is.EqualTo("tensors"));
        Assert.That(reserved.Message, Does.Contain("__metadata__"));
        Assert.That(nullTensor!.ParamName, Is.EqualTo("tensors"));
        Assert.That(nullTensor.Message, Does.Contain("'w'"));
        Assert.That(nullDict!.ParamName, Is.EqualTo("tensors"));
        Assert.That(nullStream!.ParamName, Is.EqualTo("stream"));
        Assert.That(nullMeta!.ParamName, Is.EqualTo("metadata"));
        Assert.That(badUnicode!.ParamName, Is.EqualTo("tensors"));
        Assert.That(stream.Length, Is.Zero, "nothing may be written when validation fails");
    }

    [Test]
    public void Write_RejectsTensorsReleasedByTheirScope()
    {
        Tensor released;
        using (TensorScope.Begin())
            released = Tensor.Zeros(3);

        var e = Assert.Throws<ArgumentException>(() => SafeTensors.Write(new MemoryStream(), new Dictionary<string, Tensor> { ["r"] = released }));

        Assert.That(e!.Message, Does.Contain("'r'").And.Contain("released"));
    }

    [Test]
    public void AtomicWrite_WhenTheCallbackThrows_LeavesTheOriginalFileAndNoTempFile()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f, 2f]) });
        byte[] original = File.ReadAllBytes(path);

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new InvalidOperationException("simulated crash mid-write");
        }));

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(original));
        Assert.That(Directory.GetFiles(_directory), Is.EqualTo(new[] { path }));
        Assert.That(SafeTensors.Load(path).Tensors["w"].ToArray(), Is.EqualTo(new[] { 1f, 2f }));
    }

    [Test]
    public void AtomicWrite_WhenTheTargetDoesNotExistAndTheCallbackThrows_CreatesNothing()
    {
        string path = Path.Combine(_directory, "new.bin");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, _ => throw new IOException("disk full")));

        Assert.That(Directory.GetFileSystemEntries(_directory), Is.Empty);
    }

    [Test]
    public void AtomicWrite_ReplacesAnExistingFile_AndSaveOverwrites()
    {
        string path = Path.Combine(_directory, "data.bin");
        File.WriteAllBytes(path, [9, 9, 9, 9, 9, 9]);

        AtomicFile.Write(path, stream => stream.Write([1, 2, 3]));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3 }));

        string model = Path.Combine(_directory, "m.safetensors");
        SafeTensors.Save(model, new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f, 2f, 3f, 4f, 5f]) });
        SafeTensors.Save(model, new Dictionary<string, Tensor> { ["v"] = Tensor.Scalar(7f) });
        var file = SafeTensors.Load(model);
        Assert.That(file.Tensors.Keys, Is.EqualTo(new[] { "v" }));
        Assert.That(file.Tensors["v"].Item(), Is.EqualTo(7f));
        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EquivalentTo(new[] { "data.bin", "m.safetensors" }));
    }

    [Test]
    public void Save_DeletesTheStaleTempFilesOfItsTarget_AndNoOtherFiles()
    {
        string path = Path.Combine(_directory, "model.rlkit");
        string Temp(string fileName) => Path.Combine(_directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
        string[] stale = [Temp("model.rlkit"), Temp("model.rlkit")];
        string[] kept =
        [
            Temp("other.rlkit"),                                           // another target's
            Temp("model.rlkit.bak"),                                       // a longer name the wildcard also matches
            Path.Combine(_directory, ".model.rlkit.notes.tmp"),            // not a GUID
            Path.Combine(_directory, $".model.rlkit.{Guid.NewGuid():N}.tmp.keep"),
            Path.Combine(_directory, $".model.rlkit.{Guid.NewGuid():N}".ToUpperInvariant() + ".tmp"),
        ];
        string recent = Temp("model.rlkit");                               // maybe a save under way
        string open = Temp("model.rlkit");                                 // held by a writer
        foreach (string file in stale.Concat(kept).Append(recent).Append(open))
        {
            File.WriteAllBytes(file, [1, 2, 3]);
            if (file != recent)
                File.SetLastWriteTimeUtc(file, DateTime.UtcNow - TimeSpan.FromHours(1));
        }

        using (new FileStream(open, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f]) });

        var expected = kept.Append(recent).Append(open).Append(path).Select(Path.GetFileName);
        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EquivalentTo(expected));
        Assert.That(SafeTensors.Load(path).Tensors["w"].ToArray(), Is.EqualTo(new[] { 1f }));
    }

    [Test]
    public void Save_WithInvalidArguments_LeavesTheExistingFileUnchanged()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f]) });
        byte[] original = File.ReadAllBytes(path);

        Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.FromArray([2f]) }));

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(original));
        Assert.That(Directory.GetFiles(_directory), Has.Length.EqualTo(1));
    }

    [Test]
    public void AtomicWrite_IntoMissingDirectory_ThrowsNamingTheDirectory()
    {
        string missing = Path.Combine(_directory, "no", "such");
        var e = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(Path.Combine(missing, "f.bin"), _ => { }));
        Assert.That(e!.Message, Does.Contain(missing));
    }

    /// <summary>A read-only stream that cannot seek, like a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }

        // Hand out at most 7 bytes per call so callers must handle short reads.
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
