using System.Globalization;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// An MLP conditioned on the actions a_&lt;i proposed before it (seed 003 Fig. 4.4 right, App. F): each previous action
/// is concatenated with the state, the list is summarised by a <see cref="DeepSet"/> (a two-layer ReLU MLP per element,
/// mean pooling, a two-layer ReLU MLP), the summary is concatenated to the input, and every hidden layer is modulated
/// by FiLM (γ ⊙ h + β from the summary) before its ReLU. Successive actors ν_i (input s) and surrogates Ψ̂_i (input
/// s ⊕ a) are both this network. Without conditioning (the "previous actions" ablation) it is a plain ReLU MLP.
/// </summary>
internal sealed class PreviousActionNetwork : Module
{
    private readonly DeepSet? _summary;
    private readonly Linear[] _layers;
    private readonly FiLM[] _modulations;
    private readonly Activation _output;

    /// <param name="inputSize">Width of the input (s, or s ⊕ a).</param>
    /// <param name="observationSize">Width of s, which each previous action is paired with.</param>
    /// <param name="actionSize">D.</param>
    /// <param name="hiddenSizes">Hidden widths (ReLU), at least one.</param>
    /// <param name="outputSize">Output width.</param>
    /// <param name="summarySize">Width of the DeepSet summary; 0 for no conditioning.</param>
    /// <param name="output">The output activation (tanh for actors, identity for surrogates).</param>
    /// <param name="rng">Initialises the weights.</param>
    public PreviousActionNetwork(int inputSize, int observationSize, int actionSize, IReadOnlyList<int> hiddenSizes, int outputSize,
                                 int summarySize, Activation output, RandomGenerator rng)
    {
        bool conditioned = summarySize > 0;
        if (conditioned)
            _summary = RegisterModule("summary", new DeepSet(observationSize + actionSize, [summarySize], summarySize, [summarySize], summarySize, rng));
        _layers = new Linear[hiddenSizes.Count + 1];
        _modulations = conditioned ? new FiLM[hiddenSizes.Count] : [];
        int width = inputSize + (conditioned ? summarySize : 0);
        for (int l = 0; l < _layers.Length; l++)
        {
            int next = l < hiddenSizes.Count ? hiddenSizes[l] : outputSize;
            _layers[l] = RegisterModule(l.ToString(CultureInfo.InvariantCulture), new Linear(width, next, rng));
            if (conditioned && l < hiddenSizes.Count)
                _modulations[l] = RegisterModule($"film{l.ToString(CultureInfo.InvariantCulture)}", new FiLM(summarySize, next, rng, residualGamma: true));
            width = next;
        }
        _output = output;
    }

    /// <summary>Whether the network reads the previous actions.</summary>
    public bool IsConditioned => _summary is not null;

    /// <summary>The summary of the previous actions, [B, summary]: DeepSet over s ⊕ a_j, j &lt; i.</summary>
    /// <param name="observations">[B, obs].</param>
    /// <param name="previous">[B, i, D], i ≥ 1.</param>
    public Tensor Summary(Tensor observations, Tensor previous)
    {
        int count = previous.Dim(1);
        // s broadcast to every element of the list (the zeros carry the shape; s needs no gradient of its own here).
        var states = observations.Unsqueeze(1) + Tensor.Zeros(observations.Dim(0), count, observations.Dim(1));
        return _summary!.Forward(Tensor.Concat([states, previous], 2));
    }

    /// <summary>The output [B, out] for <paramref name="input"/> [B, in] given the previous actions [B, i, D] (ignored when unconditioned).</summary>
    public Tensor Forward(Tensor input, Tensor observations, Tensor previous)
    {
        Tensor? summary = _summary is null ? null : Summary(observations, previous);
        var h = summary is null ? input : Tensor.Concat([input, summary], 1);
        for (int l = 0; l < _layers.Length; l++)
        {
            h = _layers[l].Forward(h);
            if (l == _layers.Length - 1) break;
            if (summary is not null) h = _modulations[l].Forward(h, summary);
            h = h.Relu();
        }
        return _output.Apply(h);
    }
}
