using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRepresentations;

/// <summary>
/// The observation decoder p(o | z, c) of seed 003 D.3.1. The latent z and the condition c (the action latent; none
/// in the flat VAE) pass through linear layers that are summed, then ReLU: the code d [N, H]. For trajectories the
/// first frame x₀ is given: d ⊙ MLP(x₀) (3 ReLU layers) is fed at every future step to an LSTM, and each step's
/// output goes through a 3-layer ReLU MLP to the mean and log-variance of x_t, t = 1 … Steps − 1. For vectors a
/// 3-layer ReLU MLP maps d to the mean and log-variance of the whole observation.
/// </summary>
internal sealed class ObservationDecoder : Module
{
    private readonly Linear _fromLatent;
    private readonly Linear? _fromCondition;
    private readonly Mlp? _initial;
    private readonly Lstm? _lstm;
    private readonly Mlp _output;

    public ObservationDecoder(int steps, int features, int hiddenSize, int latentSize, int conditionSize, RandomGenerator rng)
    {
        Steps = steps;
        Features = features;
        HiddenSize = hiddenSize;
        _fromLatent = RegisterModule("latent", new Linear(latentSize, hiddenSize, rng));
        if (conditionSize > 0) _fromCondition = RegisterModule("condition", new Linear(conditionSize, hiddenSize, rng));
        if (steps > 1)
        {
            _initial = RegisterModule("initial", new Mlp([features, hiddenSize, hiddenSize, hiddenSize], rng));
            _lstm = RegisterModule("lstm", new Lstm(hiddenSize, hiddenSize, rng));
        }
        _output = RegisterModule("output", new Mlp([hiddenSize, hiddenSize, hiddenSize, 2 * features], rng));
    }

    public int Steps { get; }

    public int Features { get; }

    public int HiddenSize { get; }

    /// <summary>The frames the decoder reconstructs: Steps − 1 for trajectories (x₀ is given), 1 for vectors.</summary>
    public int DecodedSteps => Steps > 1 ? Steps - 1 : 1;

    /// <summary>The reconstruction target of <paramref name="observations"/> [N, Steps, F]: [N, DecodedSteps, F].</summary>
    public Tensor Target(Tensor observations) => Steps > 1 ? observations.Narrow(1, 1, Steps - 1) : observations;

    /// <summary>z [N, Z], c [N, C] (null without a condition), observations [N, Steps, F] (only x₀ is read) → (μ, logVar) [N, DecodedSteps, F].</summary>
    public (Tensor Mean, Tensor LogVar) Forward(Tensor latent, Tensor? condition, Tensor observations)
    {
        int n = latent.Dim(0);
        var code = _fromLatent.Forward(latent);
        if (_fromCondition is not null) code += _fromCondition.Forward(condition!);
        code = code.Relu();
        Tensor hidden;
        if (_lstm is null)
        {
            hidden = code.Reshape(n, 1, HiddenSize);
        }
        else
        {
            var first = observations.Narrow(1, 0, 1).Reshape(n, Features);
            var input = (code * _initial!.Forward(first)).Reshape(n, 1, HiddenSize) * Tensor.Ones(1, Steps - 1, 1);
            hidden = _lstm.Forward(input).Output; // [N, Steps − 1, H]
        }
        var parameters = _output.Forward(hidden).Chunk(2, 2);
        return (parameters[0], parameters[1]);
    }
}
