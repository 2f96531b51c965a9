using Google.Protobuf;

namespace RLKit.Training.Metrics;

/// <summary>
/// Encodes the two kinds of TensorBoard <c>Event</c> protobuf messages RLKit writes, by hand with
/// <see cref="CodedOutputStream"/> (no generated code needed for four fields):
/// <code>
/// Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
/// Summary { repeated Value value = 1; }
/// Value   { string tag = 1; float simple_value = 2; }
/// </code>
/// </summary>
internal sealed class TensorBoardEventEncoder
{
    /// <summary>The file_version of the first event; TensorBoard only checks the "brain.Event:" prefix.</summary>
    internal const string FileVersion = "brain.Event:2";

    private const int EventWallTimeField = 1;
    private const int EventStepField = 2;
    private const int EventFileVersionField = 3;
    private const int EventSummaryField = 5;
    private const int SummaryValueField = 1;
    private const int ValueTagField = 1;
    private const int ValueSimpleValueField = 2;

    // Reused across events: metrics arrive at every logging interval, for the whole run.
    private byte[] _buffer = new byte[256];

    /// <summary>Encodes the file-version event that must open every event file.</summary>
    internal ReadOnlySpan<byte> EncodeFileVersion(double wallTime)
    {
        int size = WallTimeSize + CodedOutputStream.ComputeTagSize(EventFileVersionField) + CodedOutputStream.ComputeStringSize(FileVersion);
        var output = Begin(size);
        WriteWallTime(output, wallTime);
        output.WriteTag(EventFileVersionField, WireFormat.WireType.LengthDelimited);
        output.WriteString(FileVersion);
        return End(output, size);
    }

    /// <summary>Encodes one event carrying a scalar summary with every (tag, value) pair in <paramref name="scalars"/>.</summary>
    internal ReadOnlySpan<byte> EncodeScalars(double wallTime, long step, IReadOnlyDictionary<string, double> scalars)
    {
        int summarySize = 0;
        foreach (var (tag, _) in scalars)
            summarySize += SummaryValueEntrySize(tag);
        var output = BeginScalarEvent(wallTime, step, summarySize, out int size);
        foreach (var (tag, value) in scalars)
            WriteSummaryValue(output, tag, value);
        return End(output, size);
    }

    /// <summary>Encodes one event carrying a scalar summary with a single (tag, value) pair.</summary>
    internal ReadOnlySpan<byte> EncodeScalar(double wallTime, long step, string tag, double value)
    {
        var output = BeginScalarEvent(wallTime, step, SummaryValueEntrySize(tag), out int size);
        WriteSummaryValue(output, tag, value);
        return End(output, size);
    }

    private static int WallTimeSize => CodedOutputStream.ComputeTagSize(EventWallTimeField) + sizeof(double);

    private static int ValueSize(string tag) =>
        CodedOutputStream.ComputeTagSize(ValueTagField) + CodedOutputStream.ComputeStringSize(tag)
        + CodedOutputStream.ComputeTagSize(ValueSimpleValueField) + sizeof(float);

    private static int SummaryValueEntrySize(string tag)
    {
        int valueSize = ValueSize(tag);
        return CodedOutputStream.ComputeTagSize(SummaryValueField) + CodedOutputStream.ComputeLengthSize(valueSize) + valueSize;
    }

    private CodedOutputStream BeginScalarEvent(double wallTime, long step, int summarySize, out int size)
    {
        size = WallTimeSize
            + CodedOutputStream.ComputeTagSize(EventStepField) + CodedOutputStream.ComputeInt64Size(step)
            + CodedOutputStream.ComputeTagSize(EventSummaryField) + CodedOutputStream.ComputeLengthSize(summarySize) + summarySize;
        var output = Begin(size);
        WriteWallTime(output, wallTime);
        // Written even when 0: proto3 readers treat a present default exactly like an absent one.
        output.WriteTag(EventStepField, WireFormat.WireType.Varint);
        output.WriteInt64(step);
        output.WriteTag(EventSummaryField, WireFormat.WireType.LengthDelimited);
        output.WriteLength(summarySize);
        return output;
    }

    private static void WriteSummaryValue(CodedOutputStream output, string tag, double value)
    {
        output.WriteTag(SummaryValueField, WireFormat.WireType.LengthDelimited);
        output.WriteLength(ValueSize(tag));
        output.WriteTag(ValueTagField, WireFormat.WireType.LengthDelimited);
        output.WriteString(tag);
        output.WriteTag(ValueSimpleValueField, WireFormat.WireType.Fixed32);
        output.WriteFloat((float)value);
    }

    private static void WriteWallTime(CodedOutputStream output, double wallTime)
    {
        output.WriteTag(EventWallTimeField, WireFormat.WireType.Fixed64);
        output.WriteDouble(wallTime);
    }

    private CodedOutputStream Begin(int size)
    {
        if (_buffer.Length < size)
            _buffer = new byte[Math.Max(size, _buffer.Length * 2)];
        return new CodedOutputStream(_buffer);
    }

    private ReadOnlySpan<byte> End(CodedOutputStream output, int size)
    {
        output.Flush();
        if (output.Position != size)
            throw new InvalidOperationException($"TensorBoard event encoding wrote {output.Position} bytes but computed {size}.");
        return _buffer.AsSpan(0, size);
    }
}
