using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;
using RLKit.Onnx;

namespace RLKit.MLNet;

/// <summary>
/// <c>mlContext.Transforms.ApplyRLKitPolicy(path)</c>: ML.NET's <c>ApplyOnnxModel</c> set up for a policy that
/// <see cref="OnnxExporter"/> wrote, so an <see cref="IDataView"/> of logged observations scores into the policy's
/// outputs (greedy action, value, probabilities or Q-values) the way an ML.NET user batch-scores any model.
/// </summary>
/// <remarks>
/// <para>The input column is <see cref="OnnxNames.Observation"/>: a vector of <see cref="float"/> of the observation
/// size (flattened), one row per observation; agents over an <c>ActionSet</c> also take <see cref="OnnxNames.ActionMask"/>,
/// a vector of <see cref="bool"/>. Name the columns so, e.g. with <c>[ColumnName("observation")]</c>, or copy them
/// there with <c>CopyColumns</c>.</para>
/// <para>The output columns keep the model's names (<see cref="OnnxNames"/>). ML.NET scores one row at a time, so
/// each keeps the model's per-row shape: <see cref="OnnxNames.Action"/> is a vector of one <see cref="long"/> for a
/// discrete agent (the index <c>agent.Predict</c> returns) and a vector of the action size of <see cref="float"/> for a
/// continuous one; <see cref="OnnxNames.Value"/> is a vector of one <see cref="float"/>.</para>
/// </remarks>
public static class RLKitPolicyTransforms
{
    /// <summary>
    /// Scores the RLKit policy in the ONNX file <paramref name="modelFile"/>: every output the model has, or the
    /// <paramref name="outputColumnNames"/> chosen from them.
    /// </summary>
    /// <param name="transforms">The context's transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="modelFile">A model written by <see cref="OnnxExporter"/> (or <c>rl.Model.ExportOnnx</c>).</param>
    /// <param name="outputColumnNames">The outputs to score (see <see cref="OnnxNames"/>), or none for all of the model's.</param>
    /// <returns>ML.NET's ONNX scoring estimator; fit it on the data (nothing is trained) to get the transformer.</returns>
    /// <exception cref="FileNotFoundException">If there is no file at <paramref name="modelFile"/>.</exception>
    /// <exception cref="ArgumentException">
    /// If the model is not an RLKit policy (no float [batch, n] <see cref="OnnxNames.Observation"/> input), or an output
    /// asked for is not one of the model's; the message names what the model has.
    /// </exception>
    public static OnnxScoringEstimator ApplyRLKitPolicy(this TransformsCatalog transforms, string modelFile, params string[] outputColumnNames)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelFile);
        ArgumentNullException.ThrowIfNull(outputColumnNames);
        string fullPath = Path.GetFullPath(modelFile);
        if (!File.Exists(fullPath)) throw new FileNotFoundException($"ApplyRLKitPolicy: no ONNX model at '{fullPath}'.", fullPath);

        var signature = PolicySignature.Read(fullPath);
        string[] outputs = outputColumnNames.Length == 0 ? [.. signature.Outputs.Keys] : outputColumnNames;
        foreach (var output in outputs)
        {
            if (!signature.Outputs.ContainsKey(output))
                throw new ArgumentException(
                    $"ApplyRLKitPolicy: '{fullPath}' has no output '{output}'; its outputs are {string.Join(", ", signature.Outputs.Keys)}.", nameof(outputColumnNames));
        }

        // ML.NET feeds one row per run: fixing the dynamic batch dimension at 1 gives every column a known vector size.
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (name, shape) in signature.Inputs.Concat(outputs.Select(o => KeyValuePair.Create(o, signature.Outputs[o]))))
            shapes[name] = [1, .. shape[1..]];
        return transforms.ApplyOnnxModel(outputs, [.. signature.Inputs.Keys], fullPath, shapes, gpuDeviceId: null, fallbackToCpu: false, recursionLimit: 100);
    }

    /// <summary>The inputs and outputs of an exported policy, each with its shape (the batch dimension first).</summary>
    private sealed record PolicySignature(IReadOnlyDictionary<string, int[]> Inputs, IReadOnlyDictionary<string, int[]> Outputs)
    {
        public static PolicySignature Read(string path)
        {
            using var session = new InferenceSession(path);
            var inputs = session.InputMetadata.ToDictionary(i => i.Key, i => i.Value.Dimensions, StringComparer.Ordinal);
            var outputs = session.OutputMetadata.ToDictionary(o => o.Key, o => o.Value.Dimensions, StringComparer.Ordinal);
            if (!session.InputMetadata.TryGetValue(OnnxNames.Observation, out var observation)
                || observation.ElementType != typeof(float) || observation.Dimensions.Length != 2 || observation.Dimensions[1] < 1)
                throw new ArgumentException(
                    $"ApplyRLKitPolicy: '{path}' is not an RLKit policy: it needs a float [batch, observation size] input '{OnnxNames.Observation}', " +
                    $"and its inputs are {string.Join(", ", inputs.Select(i => $"{i.Key} [{string.Join(", ", i.Value)}]"))}.", "modelFile");
            return new PolicySignature(inputs, outputs);
        }
    }
}
