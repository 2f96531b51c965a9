using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Onnx.Tests;

/// <summary>An exported model running in ONNX Runtime, and the comparisons every export test makes with RLKit's outputs.</summary>
internal sealed class OnnxRun : IDisposable
{
    /// <summary>The largest absolute difference allowed between ONNX Runtime's and RLKit's float outputs.</summary>
    public const float Tolerance = 1e-5f;

    private readonly InferenceSession _session;

    private OnnxRun(byte[] model)
    {
        Model = model;
        _session = new InferenceSession(model);
    }

    /// <summary>The exported bytes.</summary>
    public byte[] Model { get; }

    /// <summary>The session (for metadata checks).</summary>
    public InferenceSession Session => _session;

    /// <summary>Exports <paramref name="agent"/> in memory and loads it in ONNX Runtime.</summary>
    public static OnnxRun Export(IAgent agent, OnnxExportOptions? options = null)
    {
        using var stream = new MemoryStream();
        OnnxExporter.Export(agent, stream, options);
        return new OnnxRun(stream.ToArray());
    }

    /// <summary>Loads a model file.</summary>
    public static OnnxRun Load(string path) => new(File.ReadAllBytes(path));

    /// <summary>Runs the model on observations [rows, size] (and a mask [rows, actions]) and returns every output by name.</summary>
    public Outputs Run(float[] observations, int rows, bool[]? mask = null)
    {
        int size = observations.Length / rows;
        var names = new List<string> { OnnxNames.Observation };
        var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(observations, [rows, size]) };
        if (mask is not null)
        {
            names.Add(OnnxNames.ActionMask);
            values.Add(OrtValue.CreateTensorValueFromMemory(mask, [rows, mask.Length / rows]));
        }
        try
        {
            var outputNames = _session.OutputNames;
            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, names, values, outputNames);
            var outputs = new Outputs();
            for (int i = 0; i < outputNames.Count; i++)
            {
                var info = results[i].GetTensorTypeAndShape();
                if (info.ElementDataType == TensorElementType.Int64) outputs.Int64[outputNames[i]] = results[i].GetTensorDataAsSpan<long>().ToArray();
                else outputs.Float[outputNames[i]] = results[i].GetTensorDataAsSpan<float>().ToArray();
                outputs.Shapes[outputNames[i]] = info.Shape;
            }
            return outputs;
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    public void Dispose() => _session.Dispose();

    /// <summary>Random observations [rows, size], N(0, scale²), from a seeded generator.</summary>
    public static float[] RandomObservations(int rows, int size, ulong seed, float scale = 1f)
    {
        var rng = new RandomGenerator(seed);
        var values = new float[rows * size];
        for (int i = 0; i < values.Length; i++) values[i] = rng.Normal(0f, scale);
        return values;
    }

    /// <summary>Asserts every element within <see cref="Tolerance"/>, naming the output, the worst element and the error.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string output)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{output}: length");
        float worst = 0f;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            float error = MathF.Abs(expected[i] - actual[i]);
            if (!(error <= worst)) { worst = error; at = i; }
        }
        TestContext.Out.WriteLine($"{output} [{expected.Length} values]: max |ONNX Runtime − RLKit| = {worst:G3}");
        Assert.That(worst, Is.LessThanOrEqualTo(Tolerance),
            $"{output}: max |ONNX Runtime − RLKit| = {worst:G3} at element {at} (RLKit {(at >= 0 ? expected[at] : 0f)}, ONNX Runtime {(at >= 0 ? actual[at] : 0f)})");
    }

    /// <summary>
    /// Asserts the ONNX greedy actions equal RLKit's, except where RLKit's own scores for the two actions are within
    /// <see cref="Tolerance"/> of each other (a near tie that float rounding may break either way).
    /// </summary>
    public static void AssertSameActions(ReadOnlySpan<int> expected, ReadOnlySpan<long> actual, ReadOnlySpan<float> scores, int actionCount, int offset = 0)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), "action: length");
        int differences = 0;
        for (int row = 0; row < expected.Length; row++)
        {
            if (expected[row] == actual[row]) continue;
            var rowScores = scores.Slice(row * actionCount, actionCount);
            float gap = MathF.Abs(rowScores[expected[row] - offset] - rowScores[(int)actual[row] - offset]);
            Assert.That(gap, Is.LessThanOrEqualTo(Tolerance), $"action: row {row}: RLKit chose {expected[row]}, ONNX Runtime {actual[row]}, scores {gap:G3} apart");
            differences++;
        }
        Assert.That(differences, Is.LessThanOrEqualTo(Math.Max(1, expected.Length / 100)), "action: too many near ties to be rounding");
    }

    /// <summary>Every output of one run.</summary>
    public sealed class Outputs
    {
        public Dictionary<string, float[]> Float { get; } = new();
        public Dictionary<string, long[]> Int64 { get; } = new();
        public Dictionary<string, long[]> Shapes { get; } = new();

        /// <summary>The output names, sorted.</summary>
        public IEnumerable<string> Names => Float.Keys.Concat(Int64.Keys).Order(StringComparer.Ordinal);
    }
}
