using System.Buffers;
using System.Buffers.Binary;
using System.Collections.ObjectModel;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RLKit.Tensors;

namespace RLKit.Serialization;

/// <summary>
/// Reads and writes named tensors in the <see href="https://github.com/huggingface/safetensors">safetensors</see>
/// format, so weights move between RLKit and the Python ecosystem (PyTorch, JAX, NumPy).
/// </summary>
/// <remarks>
/// <para>
/// Layout: an 8-byte little-endian unsigned header size N, N bytes of UTF-8 JSON
/// (<c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..., "__metadata__": {..}}</c>),
/// then the tensor bytes, little-endian and row-major, with offsets relative to the start of that buffer.
/// </para>
/// <para>
/// Writing produces float32 (<c>F32</c>) tensors only, byte-for-byte as the reference implementation
/// does for float32: tensors sorted by name, <c>__metadata__</c> first, compact JSON padded with spaces
/// so the data starts on an 8-byte boundary. Reading accepts <c>F32</c>, <c>F16</c>, <c>BF16</c> and
/// <c>F64</c>, converting to float32 (<c>F64</c> values beyond the float32 range become infinities).
/// Reading validates everything and throws <see cref="SafeTensorsFormatException"/> rather than return
/// partially read or misplaced weights.
/// </para>
/// </remarks>
public static class SafeTensors
{
    /// <summary>Headers larger than this many bytes are rejected as corrupt (the reference implementation's limit).</summary>
    public const int MaxHeaderSize = 100_000_000;

    /// <summary>
    /// The default limit of <see cref="Read(Stream, long)"/> on the tensor data a stream that cannot seek may declare:
    /// 4 GiB.
    /// </summary>
    public const long DefaultMaxBytes = 4L << 30;

    private const string MetadataKey = "__metadata__";
    private const int HeaderAlignment = 8;
    private const int ConversionChunkBytes = 1 << 16;
    private const int DirectChunkElements = 1 << 20;

    // Data of unknown length is read in pieces of at most this many bytes (a multiple of every element size),
    // so memory grows with the bytes that actually arrive rather than with what the header claims.
    private const int StreamChunkBytes = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonWriterOptions HeaderWriterOptions = new()
    {
        // The reference writer (serde_json) escapes only quotes, backslashes and control characters;
        // the relaxed encoder keeps non-ASCII names readable instead of \uXXXX-escaping them.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    // ----------------------------------------------------------------------------------------
    // Writing
    // ----------------------------------------------------------------------------------------

    /// <summary>
    /// Writes <paramref name="tensors"/> (and optional string <paramref name="metadata"/>) to the file at
    /// <paramref name="path"/>, replacing it atomically: readers see either the old file or the complete
    /// new one, never a half-written file.
    /// </summary>
    /// <remarks>
    /// The data goes to a hidden temporary file next to <paramref name="path"/> (<c>.{file name}.{guid}.tmp</c>) that
    /// is then renamed over it. A save killed before the rename leaves that file behind; the next save to the same
    /// path deletes it (once it is a minute old and no writer holds it open). Other files, including other targets'
    /// temporary files, are never touched.
    /// </remarks>
    /// <param name="path">The file to create or replace; its directory must exist.</param>
    /// <param name="tensors">The tensors by name. Names must be non-empty and not <c>__metadata__</c>.</param>
    /// <param name="metadata">Free-form strings stored under <c>__metadata__</c>; omitted from the file when null or empty.</param>
    /// <exception cref="ArgumentException">If a name is empty, reserved or not valid Unicode, or a tensor was released by its scope.</exception>
    /// <exception cref="ArgumentNullException">If an argument, a tensor or a metadata value is null.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var plan = PlanWrite(tensors, metadata);
        AtomicFile.Write(path, stream => WritePlanned(stream, plan));
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> (and optional string <paramref name="metadata"/>) in safetensors
    /// format to <paramref name="stream"/>, starting at its current position. The stream is not closed.
    /// </summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="tensors">The tensors by name. Names must be non-empty and not <c>__metadata__</c>.</param>
    /// <param name="metadata">Free-form strings stored under <c>__metadata__</c>; omitted when null or empty.</param>
    /// <exception cref="ArgumentException">If the stream is not writable, a name is empty, reserved or not valid Unicode, or a tensor was released.</exception>
    /// <exception cref="ArgumentNullException">If an argument, a tensor or a metadata value is null.</exception>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
            throw new ArgumentException("SafeTensors.Write: the stream is not writable.", nameof(stream));
        var plan = PlanWrite(tensors, metadata);
        WritePlanned(stream, plan);
    }

    /// <summary>The validated, sorted content of a file about to be written.</summary>
    private sealed record WritePlan(byte[] Prefix, List<(string Name, Tensor Tensor)> Tensors);

    private static WritePlan PlanWrite(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);

        var named = new List<(byte[] Utf8, string Name, Tensor Tensor)>(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException("SafeTensors.Write: tensor names must be non-empty.", nameof(tensors));
            if (name == MetadataKey)
                throw new ArgumentException($"SafeTensors.Write: '{MetadataKey}' is reserved for metadata and cannot name a tensor.", nameof(tensors));
            if (tensor is null)
                throw new ArgumentNullException(nameof(tensors), $"SafeTensors.Write: tensor '{name}' is null.");
            if (tensor.IsReleased)
                throw new ArgumentException($"SafeTensors.Write: tensor '{name}' was released when its TensorScope ended; keep it with TensorScope.Keep or create it outside the scope.", nameof(tensors));
            named.Add((EncodeName(name, "tensor name", nameof(tensors)), name, tensor));
        }
        // The reference implementation orders tensors by name (Rust string order, i.e. UTF-8 bytes),
        // which also makes the output independent of the dictionary's enumeration order.
        named.Sort((a, b) => a.Utf8.AsSpan().SequenceCompareTo(b.Utf8));

        var metadataEntries = new List<(byte[] Utf8, string Key, string Value)>();
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                if (value is null)
                    throw new ArgumentNullException(nameof(metadata), $"SafeTensors.Write: the metadata value for key '{key}' is null.");
                EncodeName(value, $"metadata value for key '{key}'", nameof(metadata));
                metadataEntries.Add((EncodeName(key, "metadata key", nameof(metadata)), key, value));
            }
            metadataEntries.Sort((a, b) => a.Utf8.AsSpan().SequenceCompareTo(b.Utf8));
        }

        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, HeaderWriterOptions))
        {
            writer.WriteStartObject();
            if (metadataEntries.Count > 0)
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (_, key, value) in metadataEntries)
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var (_, name, tensor) in named)
            {
                long end = offset + (long)tensor.Size * sizeof(float);
                writer.WriteStartObject(name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (int dim in tensor.Shape)
                    writer.WriteNumberValue(dim);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
            }
            writer.WriteEndObject();
        }

        // Pad with spaces (valid trailing JSON whitespace) so the tensor data starts 8-byte aligned.
        int headerLength = json.WrittenCount;
        int paddedLength = (headerLength + HeaderAlignment - 1) / HeaderAlignment * HeaderAlignment;
        var prefix = new byte[sizeof(ulong) + paddedLength];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)paddedLength);
        json.WrittenSpan.CopyTo(prefix.AsSpan(sizeof(ulong)));
        prefix.AsSpan(sizeof(ulong) + headerLength).Fill((byte)' ');

        return new WritePlan(prefix, named.ConvertAll(n => (n.Name, n.Tensor)));
    }

    private static byte[] EncodeName(string text, string what, string argumentName)
    {
        try
        {
            return StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"SafeTensors.Write: the {what} '{text}' is not valid Unicode (it contains an unpaired surrogate).", argumentName, e);
        }
    }

    private static void WritePlanned(Stream stream, WritePlan plan)
    {
        stream.Write(plan.Prefix);
        byte[]? scratch = BitConverter.IsLittleEndian ? null : ArrayPool<byte>.Shared.Rent(ConversionChunkBytes);
        try
        {
            foreach (var (_, tensor) in plan.Tensors)
            {
                ReadOnlySpan<float> values = tensor.AsReadOnlySpan();
                if (scratch is null)
                {
                    for (int start = 0; start < values.Length; start += DirectChunkElements)
                        stream.Write(MemoryMarshal.AsBytes(values.Slice(start, Math.Min(DirectChunkElements, values.Length - start))));
                    continue;
                }
                int perChunk = ConversionChunkBytes / sizeof(float);
                for (int start = 0; start < values.Length; start += perChunk)
                {
                    int count = Math.Min(perChunk, values.Length - start);
                    for (int i = 0; i < count; i++)
                        BinaryPrimitives.WriteSingleLittleEndian(scratch.AsSpan(i * sizeof(float)), values[start + i]);
                    stream.Write(scratch, 0, count * sizeof(float));
                }
            }
        }
        finally
        {
            if (scratch is not null)
                ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Reading
    // ----------------------------------------------------------------------------------------

    /// <summary>
    /// Reads the safetensors file at <paramref name="path"/>. Tensors stored as <c>F16</c>, <c>BF16</c>
    /// or <c>F64</c> are converted to float32. The returned tensors are persistent: no
    /// <see cref="Tensors.TensorScope"/> releases them.
    /// </summary>
    /// <exception cref="SafeTensorsFormatException">If the file is truncated, corrupt or holds an unsupported dtype; the message names the file and the problem.</exception>
    /// <exception cref="FileNotFoundException">If the file does not exist.</exception>
    public static SafeTensorsFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return ReadCore(stream, Path.GetFullPath(path), DefaultMaxBytes);
    }

    /// <summary>
    /// Reads safetensors data from <paramref name="stream"/>, starting at its current position; the
    /// data must extend exactly to the end of the stream. The stream is not closed.
    /// </summary>
    /// <remarks>
    /// With a seekable stream the header's layout is checked against the stream length before any
    /// tensor is allocated. A stream that cannot seek is bounded by <paramref name="maxBytes"/> instead,
    /// and is read in pieces of at most 1 MiB, each tensor being allocated only once all its bytes have
    /// arrived: a stream that ends early fails as soon as it ends, having allocated about what it held,
    /// whatever its header claims.
    /// </remarks>
    /// <param name="stream">A readable stream.</param>
    /// <param name="maxBytes">
    /// For a stream that cannot seek, the most tensor data (in bytes, as stored) the header may declare; larger
    /// declarations are rejected before anything is allocated. Default <see cref="DefaultMaxBytes"/> (4 GiB).
    /// Ignored for a seekable stream, whose length bounds the data.
    /// </param>
    /// <exception cref="SafeTensorsFormatException">
    /// If the data is truncated, corrupt or holds an unsupported dtype, or a stream that cannot seek declares more
    /// than <paramref name="maxBytes"/> bytes of tensor data.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="maxBytes"/> is negative.</exception>
    public static SafeTensorsFile Read(Stream stream, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
            throw new ArgumentException("SafeTensors.Read: the stream is not readable.", nameof(stream));
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        return ReadCore(stream, source: null, maxBytes);
    }

    /// <summary>The element types RLKit can load.</summary>
    private enum DType
    {
        F32,
        F16,
        BF16,
        F64,
    }

    /// <summary>One tensor described by the header; <see cref="HeaderIndex"/> preserves the header's order.</summary>
    private sealed record Entry(string Name, int HeaderIndex, DType DType, int[] Shape, long ElementCount, long Begin, long End);

    private static SafeTensorsFile ReadCore(Stream stream, string? source, long maxBytes)
    {
        // When the length is known, layout errors are reported before anything large is allocated.
        long? available = stream.CanSeek ? stream.Length - stream.Position : null;

        Span<byte> sizePrefix = stackalloc byte[sizeof(ulong)];
        int got = stream.ReadAtLeast(sizePrefix, sizePrefix.Length, throwOnEndOfStream: false);
        if (got < sizePrefix.Length)
            throw Fail(source, $"it is only {got} bytes long, shorter than the 8-byte header-size prefix.");
        ulong headerSize = BinaryPrimitives.ReadUInt64LittleEndian(sizePrefix);
        if (headerSize > MaxHeaderSize)
            throw Fail(source, $"the header size is {headerSize} bytes, more than the {MaxHeaderSize}-byte limit (corrupt, or not a safetensors file).");
        if (available is long total && (long)headerSize > total - sizeof(ulong))
            throw Fail(source, $"the header size is {headerSize} bytes but only {total - sizeof(ulong)} bytes follow the 8-byte prefix (truncated or corrupt).");

        var headerChunks = ReadChunks(stream, (long)headerSize,
            found => Fail(source, $"truncated inside the header: expected {headerSize} header bytes, found {found}."));
        byte[] header = headerChunks.Count == 1 ? headerChunks[0] : Join(headerChunks, (int)headerSize);

        var (entries, metadata) = ParseHeader(header, source);
        var (inFileOrder, bufferLength) = ValidateLayout(entries, source);

        if (available is long fileLength)
        {
            long actual = fileLength - sizeof(ulong) - (long)headerSize;
            if (actual < bufferLength)
                throw Fail(source, $"truncated: the header describes {bufferLength} bytes of tensor data but only {actual} bytes follow the header.");
            if (actual > bufferLength)
                throw Fail(source, $"{actual - bufferLength} unexpected bytes follow the last tensor (the header describes {bufferLength} bytes of tensor data, {actual} are present).");
        }
        else if (bufferLength > maxBytes)
        {
            throw Fail(source, $"the header describes {bufferLength} bytes of tensor data, more than maxBytes ({maxBytes}) allows for a stream whose length is unknown (corrupt, or pass a larger maxBytes to SafeTensors.Read).");
        }

        var loaded = new Tensor[entries.Count];
        byte[] scratch = ArrayPool<byte>.Shared.Rent(ConversionChunkBytes);
        try
        {
            foreach (var entry in inFileOrder)
                loaded[entry.HeaderIndex] = available is null
                    ? ReadTensorInChunks(stream, entry, bufferLength, source)
                    : ReadTensor(stream, entry, scratch, bufferLength, source);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }

        if (available is null && stream.ReadByte() >= 0)
            throw Fail(source, $"unexpected bytes follow the last tensor (the header describes {bufferLength} bytes of tensor data).");

        var tensors = new OrderedDictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
            tensors.Add(entry.Name, loaded[entry.HeaderIndex]);
        return new SafeTensorsFile(new ReadOnlyDictionary<string, Tensor>(tensors), new ReadOnlyDictionary<string, string>(metadata));
    }

    private static (List<Entry> Entries, OrderedDictionary<string, string> Metadata) ParseHeader(byte[] header, string? source)
    {
        // Checked up front: System.Text.Json only notices bad UTF-8 when a string is decoded, which
        // would surface as an InvalidOperationException halfway through parsing.
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw Fail(source, "the header is not valid UTF-8.");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Fail(source, $"the header is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Fail(source, $"the header must be a JSON object, but it is a JSON {Describe(root.ValueKind)}.");

            var entries = new List<Entry>();
            var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Fail(source, $"the header lists '{property.Name}' more than once.");
                if (property.Name == MetadataKey)
                    ParseMetadata(property.Value, metadata, source);
                else
                    entries.Add(ParseEntry(property.Name, entries.Count, property.Value, source));
            }
            return (entries, metadata);
        }
    }

    private static void ParseMetadata(JsonElement value, OrderedDictionary<string, string> metadata, string? source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Fail(source, $"'{MetadataKey}' must be a JSON object of strings, but it is a JSON {Describe(value.ValueKind)}.");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Fail(source, $"the metadata value for key '{item.Name}' must be a string, but it is a JSON {Describe(item.Value.ValueKind)}.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Fail(source, $"the metadata lists key '{item.Name}' more than once.");
        }
    }

    private static Entry ParseEntry(string name, int headerIndex, JsonElement value, string? source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Fail(source, $"the entry for tensor '{name}' must be an object with dtype, shape and data_offsets, but it is a JSON {Describe(value.ValueKind)}.");

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Fail(source, $"tensor '{name}' has no string field 'dtype'.");
        DType dtype = ParseDType(name, dtypeElement.GetString()!, source);

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Fail(source, $"tensor '{name}' has no array field 'shape'.");
        var shapeValues = new List<long>();
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d))
                throw Fail(source, $"the shape of tensor '{name}' must be a list of integers, but it is {shapeElement.GetRawText()}.");
            shapeValues.Add(d);
        }
        string shapeText = "[" + string.Join(", ", shapeValues) + "]";
        if (shapeValues.Any(d => d < 0))
            throw Fail(source, $"the shape {shapeText} of tensor '{name}' has a negative dimension.");
        if (shapeValues.Any(d => d > int.MaxValue))
            throw Fail(source, $"the shape {shapeText} of tensor '{name}' has a dimension larger than {int.MaxValue}.");
        long elementCount = 1;
        if (!shapeValues.Contains(0))
        {
            foreach (long d in shapeValues)
            {
                elementCount *= d;
                if (elementCount > Array.MaxLength)
                    throw Fail(source, $"tensor '{name}' with shape {shapeText} has more elements than one .NET array can hold ({Array.MaxLength}).");
            }
        }
        else
        {
            elementCount = 0;
        }

        if (!value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
            throw Fail(source, $"tensor '{name}' has no field 'data_offsets' of the form [begin, end].");
        var offsets = new long[2];
        int k = 0;
        foreach (var offset in offsetsElement.EnumerateArray())
        {
            if (offset.ValueKind != JsonValueKind.Number || !offset.TryGetInt64(out offsets[k]) || offsets[k] < 0)
                throw Fail(source, $"the data_offsets {offsetsElement.GetRawText()} of tensor '{name}' must be two non-negative integers.");
            k++;
        }

        return new Entry(name, headerIndex, dtype, shapeValues.Select(d => (int)d).ToArray(), elementCount, offsets[0], offsets[1]);
    }

    private static DType ParseDType(string name, string dtype, string? source) => dtype switch
    {
        "F32" => DType.F32,
        "F16" => DType.F16,
        "BF16" => DType.BF16,
        "F64" => DType.F64,
        "BOOL" or "U8" or "I8" or "I16" or "U16" or "I32" or "U32" or "I64" or "U64"
            or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" or "F6_E2M3" or "F6_E3M2" or "F4" or "C64" =>
            throw Fail(source, $"tensor '{name}' has dtype '{dtype}', which RLKit cannot load (supported: F32, F16, BF16, F64)."),
        _ => throw Fail(source, $"tensor '{name}' has unknown dtype '{dtype}' (supported: F32, F16, BF16, F64)."),
    };

    private static int SizeOf(DType dtype) => dtype switch
    {
        DType.F16 or DType.BF16 => 2,
        DType.F32 => 4,
        _ => 8,
    };

    /// <summary>
    /// Checks every tensor's byte range against its shape and dtype, and that the ranges tile the
    /// buffer from offset 0 without overlaps or holes. Returns the entries in file order and the
    /// buffer length the header implies.
    /// </summary>
    private static (List<Entry> InFileOrder, long BufferLength) ValidateLayout(List<Entry> entries, string? source)
    {
        foreach (var entry in entries)
        {
            if (entry.End < entry.Begin)
                throw Fail(source, $"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}] that end before they begin.");
            long needed = entry.ElementCount * SizeOf(entry.DType);
            if (entry.End - entry.Begin != needed)
                throw Fail(source, $"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}] ({entry.End - entry.Begin} bytes), but its shape {Tensor.ShapeString(entry.Shape)} and dtype {entry.DType} need {needed} bytes.");
        }

        // (begin, end) order puts empty tensors before a tensor starting at the same offset, so a
        // valid layout is exactly the one where each range starts where the previous ended.
        var inFileOrder = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ThenBy(e => e.HeaderIndex).ToList();
        long expected = 0;
        Entry? previous = null;
        foreach (var entry in inFileOrder)
        {
            if (entry.Begin < expected)
                throw Fail(source, $"the data of tensors '{previous!.Name}' [{previous.Begin}, {previous.End}] and '{entry.Name}' [{entry.Begin}, {entry.End}] overlap.");
            if (entry.Begin > expected)
                throw Fail(source, previous is null
                    ? $"the tensor data must start at offset 0, but the first tensor '{entry.Name}' starts at {entry.Begin} (a hole of {entry.Begin} bytes)."
                    : $"there is a hole of {entry.Begin - expected} bytes between tensors '{previous.Name}' (ends at {previous.End}) and '{entry.Name}' (starts at {entry.Begin}).");
            expected = entry.End;
            previous = entry;
        }
        return (inFileOrder, expected);
    }

    private static Tensor ReadTensor(Stream stream, Entry entry, byte[] scratch, long bufferLength, string? source)
    {
        var tensor = Tensor.AllocatePersistent(entry.Shape);
        Span<float> destination = tensor.AsSpan();

        if (entry.DType == DType.F32 && BitConverter.IsLittleEndian)
        {
            for (int start = 0; start < destination.Length; start += DirectChunkElements)
            {
                int count = Math.Min(DirectChunkElements, destination.Length - start);
                ReadExactly(stream, MemoryMarshal.AsBytes(destination.Slice(start, count)), entry, start * 4L, bufferLength, source);
            }
            return tensor;
        }

        int elementSize = SizeOf(entry.DType);
        int perChunk = scratch.Length / elementSize;
        for (int start = 0; start < destination.Length; start += perChunk)
        {
            int count = Math.Min(perChunk, destination.Length - start);
            var bytes = scratch.AsSpan(0, count * elementSize);
            ReadExactly(stream, bytes, entry, (long)start * elementSize, bufferLength, source);
            Convert(entry.DType, bytes, destination.Slice(start, count));
        }
        return tensor;
    }

    /// <summary>
    /// Reads a tensor from a stream of unknown length: its bytes first, in chunks, and only then the tensor, so a
    /// stream that ends early costs no more memory than it delivered.
    /// </summary>
    private static Tensor ReadTensorInChunks(Stream stream, Entry entry, long bufferLength, string? source)
    {
        var chunks = ReadChunks(stream, entry.End - entry.Begin, got => Truncated(entry, got, bufferLength, source));
        var tensor = Tensor.AllocatePersistent(entry.Shape);
        Span<float> destination = tensor.AsSpan();
        int elementSize = SizeOf(entry.DType);
        int start = 0;
        foreach (byte[] chunk in chunks)
        {
            int count = chunk.Length / elementSize;
            Convert(entry.DType, chunk, destination.Slice(start, count));
            start += count;
        }
        return tensor;
    }

    /// <summary>
    /// Reads exactly <paramref name="length"/> bytes as chunks of at most <see cref="StreamChunkBytes"/>, allocating
    /// each only when the previous one is full; throws <paramref name="truncated"/>(bytes found) if the stream ends first.
    /// </summary>
    private static List<byte[]> ReadChunks(Stream stream, long length, Func<long, SafeTensorsFormatException> truncated)
    {
        var chunks = new List<byte[]>();
        for (long done = 0; done < length;)
        {
            var chunk = new byte[(int)Math.Min(StreamChunkBytes, length - done)];
            int got = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            if (got < chunk.Length)
                throw truncated(done + got);
            chunks.Add(chunk);
            done += chunk.Length;
        }
        return chunks;
    }

    private static byte[] Join(List<byte[]> chunks, int length)
    {
        var joined = new byte[length];
        int offset = 0;
        foreach (byte[] chunk in chunks)
        {
            chunk.CopyTo(joined, offset);
            offset += chunk.Length;
        }
        return joined;
    }

    private static void ReadExactly(Stream stream, Span<byte> bytes, Entry entry, long offsetInTensor, long bufferLength, string? source)
    {
        int got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (got < bytes.Length)
            throw Truncated(entry, offsetInTensor + got, bufferLength, source);
    }

    private static SafeTensorsFormatException Truncated(Entry entry, long presentInTensor, long bufferLength, string? source) =>
        Fail(source, $"truncated: the data ends after {entry.Begin + presentInTensor} of the {bufferLength} bytes the header describes, inside tensor '{entry.Name}' (data_offsets [{entry.Begin}, {entry.End}]).");

    private static void Convert(DType dtype, ReadOnlySpan<byte> bytes, Span<float> destination)
    {
        switch (dtype)
        {
            case DType.F32 when BitConverter.IsLittleEndian:
                bytes.CopyTo(MemoryMarshal.AsBytes(destination));
                break;
            case DType.F32:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                break;
            case DType.F16:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
                break;
            case DType.BF16:
                // bfloat16 is the upper half of a float32, so widening is exact.
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16);
                break;
            case DType.F64:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]);
                break;
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private static SafeTensorsFormatException Fail(string? source, string problem, Exception? inner = null) =>
        new(source, problem, inner);
}
