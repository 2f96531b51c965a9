using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRepresentations;

/// <summary>
/// The per-observation encoder of seed 003 D.3.1: [N, Steps, Features] → a code [N, hidden]. Trajectories
/// (Steps &gt; 1) go through a bidirectional multi-layer LSTM whose last-layer outputs are averaged over time and
/// both directions (as the paper's code does); vectors (Steps = 1) through a 2-layer ReLU MLP.
/// </summary>
internal sealed class ObservationEncoder : Module
{
    private readonly Lstm? _lstm;
    private readonly Mlp? _mlp;

    public ObservationEncoder(int steps, int features, int hiddenSize, int lstmLayers, RandomGenerator rng)
    {
        Steps = steps;
        Features = features;
        HiddenSize = hiddenSize;
        if (steps > 1) _lstm = RegisterModule("lstm", new Lstm(features, hiddenSize, rng, lstmLayers, bidirectional: true));
        else _mlp = RegisterModule("mlp", new Mlp([features, hiddenSize, hiddenSize], rng));
    }

    public int Steps { get; }

    public int Features { get; }

    public int HiddenSize { get; }

    /// <summary>[N, Steps, Features] → [N, HiddenSize].</summary>
    public Tensor Forward(Tensor observations)
    {
        int n = observations.Dim(0);
        if (_mlp is not null) return _mlp.Forward(observations.Reshape(n, Features));
        var output = _lstm!.Forward(observations).Output; // [N, T, 2H]: forward then backward halves
        return output.Reshape(n, Steps * 2, HiddenSize).Mean(1);
    }
}
