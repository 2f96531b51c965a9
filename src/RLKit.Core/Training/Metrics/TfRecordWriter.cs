using System.Buffers.Binary;

namespace RLKit.Training.Metrics;

/// <summary>
/// Frames byte payloads as TFRecords: little-endian uint64 length, masked CRC-32C of those 8 bytes,
/// the payload, masked CRC-32C of the payload. This is the container TensorBoard event files use.
/// </summary>
internal sealed class TfRecordWriter : IDisposable
{
    private const int HeaderLength = sizeof(ulong) + sizeof(uint);
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[HeaderLength];
    private readonly byte[] _footer = new byte[sizeof(uint)];

    /// <summary>Writes records to <paramref name="stream"/>, which this writer then owns.</summary>
    internal TfRecordWriter(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>Appends one record holding <paramref name="payload"/>.</summary>
    internal void Write(ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_header, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(sizeof(ulong)), Crc32C.Mask(Crc32C.Compute(_header.AsSpan(0, sizeof(ulong)))));
        BinaryPrimitives.WriteUInt32LittleEndian(_footer, Crc32C.Mask(Crc32C.Compute(payload)));
        _stream.Write(_header);
        _stream.Write(payload);
        _stream.Write(_footer);
    }

    /// <summary>Pushes buffered records to the operating system so a running TensorBoard sees them.</summary>
    internal void Flush() => _stream.Flush();

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
