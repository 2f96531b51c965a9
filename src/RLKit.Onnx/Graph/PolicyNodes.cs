using RLKit.Algorithms.Common;
using RLKit.Spaces;
using static RLKit.Onnx.Graph.OnnxGraphBuilder;
using DataType = RLKit.Onnx.Schema.TensorProto.Types.DataType;

namespace RLKit.Onnx.Graph;

/// <summary>The graph pieces every agent family ends with: observation normalisation, categorical outputs, box actions, a value.</summary>
internal static class PolicyNodes
{
    /// <summary>The logit RLKit's categorical distribution gives a masked action.</summary>
    public const float MaskedLogit = -1e9f;

    /// <summary>clip((x − mean) / sqrt(variance + ε), −clip, clip), with the statistics in float32.</summary>
    public static string Normalize(OnnxGraphBuilder g, string x, OnnxObservationNormalization statistics)
    {
        const string path = "observation_normalization";
        var mean = new float[statistics.Size];
        var std = new float[statistics.Size];
        for (int i = 0; i < mean.Length; i++)
        {
            mean[i] = (float)statistics.Mean[i];
            std[i] = (float)Math.Sqrt(statistics.Variance[i] + statistics.Epsilon);
        }
        var centred = g.Node("Sub", path, [x, g.Weight(path + ".mean", mean, [mean.Length])]);
        var scaled = g.Node("Div", path, [centred, g.Weight(path + ".std", std, [std.Length])]);
        if (double.IsPositiveInfinity(statistics.Clip)) return scaled;
        float clip = (float)statistics.Clip;
        return g.Node("Clip", path, [scaled, g.Scalar(path + ".min", -clip), g.Scalar(path + ".max", clip)]);
    }

    /// <summary>
    /// The outputs of a categorical policy from its <paramref name="logits"/> [B, actions]: the logits (masked when
    /// <paramref name="mask"/> names a bool [B, actions] input), their softmax, and the first most probable action plus
    /// <paramref name="actionOffset"/> (what the agent's Act adds, such as a Discrete space's start).
    /// </summary>
    public static void Categorical(OnnxGraphBuilder g, string logits, int actions, string? mask = null, int actionOffset = 0)
    {
        const string path = "policy";
        if (mask is not null)
        {
            // RLKit adds 0 to allowed logits and −1e9 to masked ones; the same addition gives the same floats.
            var bias = g.Node("Where", path + ".mask", [mask, g.Scalar(path + ".allowed", 0f), g.Scalar(path + ".masked", MaskedLogit)]);
            logits = g.Node("Add", path + ".mask", [logits, bias]);
        }
        g.Output(logits, OnnxNames.Logits, DataType.Float, mask is null ? "the policy's logits" : "the policy's logits, −1e9 added where action_mask is false", actions);
        g.Output(g.Node("Softmax", path, [logits], Int("axis", 1)), OnnxNames.Probabilities, DataType.Float, "the action probabilities", actions);
        Greedy(g, logits, actionOffset, "the most probable action (the first on ties)");
    }

    /// <summary>The first arg max of <paramref name="scores"/> [B, actions] plus <paramref name="actionOffset"/>, as the int64 output "action" [B].</summary>
    public static void Greedy(OnnxGraphBuilder g, string scores, int actionOffset, string description)
    {
        var action = g.Node("ArgMax", "action", [scores], Int("axis", 1), Int("keepdims", 0), Int("select_last_index", 0));
        if (actionOffset != 0) action = g.Node("Add", "action", [action, g.Int64Scalar("action.start", actionOffset)]);
        g.Output(action, OnnxNames.Action, DataType.Int64, description);
    }

    /// <summary>squashed·scale + bias with the actor's own <see cref="ActionRescaler"/> (a tanh output into the box), as the float output "action".</summary>
    public static void RescaledAction(OnnxGraphBuilder g, string squashed, ActionRescaler rescaler)
    {
        var scaled = g.Node("Mul", "action", [squashed, g.Weight("action.scale", rescaler.Scale)]);
        var action = g.Node("Add", "action", [scaled, g.Weight("action.bias", rescaler.Bias)]);
        g.Output(action, OnnxNames.Action, DataType.Float, $"the deterministic action in the box {rescaler.Space.Description}", rescaler.Size);
    }

    /// <summary>min(max(x, low), high) elementwise, as the float output "action".</summary>
    public static void ClippedAction(OnnxGraphBuilder g, string x, Box box, string description)
    {
        int size = box.FlatSize;
        var low = g.Weight("action.low", box.Low, [size]);
        var high = g.Weight("action.high", box.High, [size]);
        var action = g.Node("Min", "action", [g.Node("Max", "action", [x, low]), high]);
        g.Output(action, OnnxNames.Action, DataType.Float, description, size);
    }

    /// <summary>A [B, 1] value as the output "value" [B].</summary>
    public static void Value(OnnxGraphBuilder g, string value, string description)
    {
        var squeezed = g.Node("Squeeze", "value", [value, g.Int64s("value.axes", 1)]);
        g.Output(squeezed, OnnxNames.Value, DataType.Float, description);
    }
}
