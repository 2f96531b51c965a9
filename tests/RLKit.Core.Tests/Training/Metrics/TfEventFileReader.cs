using System.Buffers.Binary;
using Google.Protobuf;

namespace RLKit.Core.Tests.Training.Metrics;

/// <summary>
/// An independent reader of TensorBoard event files for the tests: TFRecord framing checked with its
/// own bit-by-bit CRC-32C (not the library's table or SSE4.2 code), and Event protos decoded field by
/// field with <see cref="CodedInputStream"/>.
/// </summary>
internal static class TfEventFileReader
{
    internal sealed record ScalarValue(string Tag, float Value);

    internal sealed record Event(double WallTime, long Step, string? FileVersion, IReadOnlyList<ScalarValue> Values);

    internal static List<Event> ReadEvents(string path) => ReadRecords(File.ReadAllBytes(path)).Select(DecodeEvent).ToList();

    /// <summary>Splits <paramref name="file"/> into record payloads, throwing <see cref="InvalidDataException"/> on any CRC mismatch or truncation.</summary>
    internal static List<byte[]> ReadRecords(byte[] file)
    {
        var records = new List<byte[]>();
        int offset = 0;
        while (offset < file.Length)
        {
            if (file.Length - offset < 12)
                throw new InvalidDataException($"Truncated record header at {offset}.");
            var lengthBytes = file.AsSpan(offset, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 8, 4));
            if (lengthCrc != MaskedCrc(lengthBytes))
                throw new InvalidDataException($"Length CRC mismatch at {offset}.");
            offset += 12;
            if ((ulong)(file.Length - offset) < length + 4)
                throw new InvalidDataException($"Truncated record data at {offset}.");
            var data = file.AsSpan(offset, (int)length);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + (int)length, 4));
            if (dataCrc != MaskedCrc(data))
                throw new InvalidDataException($"Data CRC mismatch at {offset}.");
            records.Add(data.ToArray());
            offset += (int)length + 4;
        }
        return records;
    }

    internal static Event DecodeEvent(byte[] payload)
    {
        var input = new CodedInputStream(payload);
        double wallTime = 0;
        long step = 0;
        string? fileVersion = null;
        var values = new List<ScalarValue>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (tag)
            {
                case (1 << 3) | 1: wallTime = input.ReadDouble(); break;
                case (2 << 3) | 0: step = input.ReadInt64(); break;
                case (3 << 3) | 2: fileVersion = input.ReadString(); break;
                case (5 << 3) | 2: values.AddRange(DecodeSummary(input.ReadBytes())); break;
                default: throw new InvalidDataException($"Unexpected Event field tag {tag}.");
            }
        }
        return new Event(wallTime, step, fileVersion, values);
    }

    private static IEnumerable<ScalarValue> DecodeSummary(ByteString summary)
    {
        var input = summary.CreateCodedInput();
        var values = new List<ScalarValue>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag != ((1 << 3) | 2))
                throw new InvalidDataException($"Unexpected Summary field tag {tag}.");
            var value = input.ReadBytes().CreateCodedInput();
            string? name = null;
            float? simple = null;
            uint valueTag;
            while ((valueTag = value.ReadTag()) != 0)
            {
                switch (valueTag)
                {
                    case (1 << 3) | 2: name = value.ReadString(); break;
                    case (2 << 3) | 5: simple = value.ReadFloat(); break;
                    default: throw new InvalidDataException($"Unexpected Summary.Value field tag {valueTag}.");
                }
            }
            values.Add(new ScalarValue(name ?? throw new InvalidDataException("Value without tag."), simple ?? throw new InvalidDataException("Value without simple_value.")));
        }
        return values;
    }

    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF_FFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc >> 1) ^ (0x82F6_3B78u & (0u - (crc & 1)));
        }
        crc = ~crc;
        return unchecked(((crc >> 15) | (crc << 17)) + 0xA282_EAD8u);
    }
}
