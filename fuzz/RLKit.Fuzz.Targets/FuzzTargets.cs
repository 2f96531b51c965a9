using System.Text;
using System.Text.Json;
using Google.Protobuf;
using RLKit.Core.Tests.Training.Metrics;
using RLKit.Data;
using RLKit.Hosting;
using RLKit.Serialization;
using RLKit.Training.Checkpoints;

namespace RLKit.Fuzz;

/// <summary>
/// The fuzz targets: each feeds one input to one loader and swallows the exceptions that loader documents for bad
/// input. Anything else escapes, and is a finding: afl-fuzz records it as a crash, and the corpus replay test
/// (tests/RLKit.Algorithms.Tests/Fuzzing) fails on it. Compiled into both, so both run the same code paths.
/// </summary>
public static class FuzzTargets
{
    /// <summary>The target names, as run.sh and the replay test take them; each is also the name of its corpus folder.</summary>
    public static IReadOnlyList<string> Names { get; } = ["safetensors", "checkpoint", "checkpoint-agent", "options", "tfevents", "replay-buffer"];

    private static readonly Lazy<AlgorithmRegistry> Registry = new(AlgorithmRegistry.CreateDefault);
    private static readonly Lazy<RLContext> Context = new(() => new RLContext(seed: 1));

    /// <summary>Runs <paramref name="target"/> on <paramref name="data"/>; returns normally for valid input and for documented rejections.</summary>
    /// <exception cref="ArgumentException">If <paramref name="target"/> is not one of <see cref="Names"/>.</exception>
    public static void Run(string target, byte[] data)
    {
        Action<byte[]> run = target switch
        {
            "safetensors" => ReadSafeTensors,
            "checkpoint" => bytes => WithFile(bytes, path => Checkpoint.Load(path)),
            "checkpoint-agent" => bytes => WithFile(bytes, path => Checkpoint.LoadAgent(path, Registry.Value)),
            "options" => ParseOptions,
            "tfevents" => ReadEvents,
            // A header may ask for a large buffer that the file need not hold; 64 MiB keeps the fuzzer inside its heap.
            "replay-buffer" => bytes => WithFile(bytes, path => ReplayBuffer.Load(path, maxBytes: 64L << 20)),
            _ => throw new ArgumentException($"Unknown fuzz target '{target}'; known: {string.Join(", ", Names)}.", nameof(target)),
        };
        try
        {
            run(data);
        }
        catch (Exception e) when (IsExpected(target, e))
        {
        }
    }

    /// <summary>Whether <paramref name="e"/> is a rejection that <paramref name="target"/>'s loader documents for bad input.</summary>
    public static bool IsExpected(string target, Exception e) => e switch
    {
        ArgumentException or SafeTensorsFormatException or CheckpointFormatException or CheckpointMismatchException
            or InvalidDataException or JsonException or NotSupportedException or KeyNotFoundException => true,
        // Checkpoint.LoadAgent documents this one for a checkpoint of an algorithm the registry lacks.
        InvalidOperationException when target == "checkpoint-agent" && e.Message.StartsWith("Checkpoint.LoadAgent:", StringComparison.Ordinal) => true,
        // Google.Protobuf's documented rejection of a malformed message, seen by the test reader's decoder.
        InvalidProtocolBufferException when target == "tfevents" => true,
        _ => false,
    };

    private static void ReadSafeTensors(byte[] data)
    {
        using var stream = new MemoryStream(data, writable: false);
        SafeTensors.Read(stream);
    }

    /// <summary>Input: the algorithm name, a newline, then the options JSON.</summary>
    private static void ParseOptions(byte[] data)
    {
        string text = Encoding.UTF8.GetString(data);
        int newline = text.IndexOf('\n');
        string algorithm = newline < 0 ? text : text[..newline];
        string json = newline < 0 ? "" : text[(newline + 1)..];
        Registry.Value.Get(algorithm).ParseOptions(json);
        Context.Value.Agents.CreateFromJson(algorithm, json);
    }

    /// <summary>The file is split into records (framing and CRCs checked) and each is decoded; the whole input is also decoded as one Event payload, so mutations reach the decoder past the CRCs.</summary>
    private static void ReadEvents(byte[] data)
    {
        try
        {
            foreach (var record in TfEventFileReader.ReadRecords(data))
                TfEventFileReader.DecodeEvent(record);
        }
        catch (Exception e) when (IsExpected("tfevents", e))
        {
        }
        TfEventFileReader.DecodeEvent(data);
    }

    [ThreadStatic] private static string? _scratchPath;

    /// <summary>The checkpoint loaders take a path: the input is written to one scratch file per thread, reused.</summary>
    private static void WithFile(byte[] data, Action<string> load)
    {
        _scratchPath ??= Path.Combine(Path.GetTempPath(), $"rlkit-fuzz-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}.rlkit");
        File.WriteAllBytes(_scratchPath, data);
        try
        {
            load(_scratchPath);
        }
        finally
        {
            File.Delete(_scratchPath);
        }
    }
}
