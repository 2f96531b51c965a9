using System.Globalization;
using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// T multi-layer perceptrons of identical shape evaluated side by side: each layer is one <see cref="EnsembleLinear"/>
/// followed by the activation, so the whole ensemble costs one batched GEMM per layer. Children are named "0",
/// "1", … as in <see cref="Mlp"/> (parameters "0.weight" [T, out, in], "0.bias" [T, out], …). The input is
/// [T, N, in] (member t reads input[t]) or [N, in] (every member reads the same rows); the output is [T, N, out].
/// </summary>
/// <example>
/// <code>
/// // Ten task critics at once: obs ⊕ action → Q, one batch of 256 per task.
/// var critics = new EnsembleMlp(10, [obs + act, 256, 256, 1], rng, Activation.Tanh);
/// Tensor q = critics.Forward(inputs);   // inputs [10, 256, obs + act] → q [10, 256, 1]
/// </code>
/// </example>
public sealed class EnsembleMlp : Layer
{
    private readonly EnsembleLinear[] _layers;

    /// <summary>
    /// Creates the ensemble. Member t is initialised exactly as the t-th of T successive <c>new Mlp(sizes, rng,
    /// activation, outputActivation, weightInit: weightInit, outputWeightInit: outputWeightInit)</c> constructions
    /// from <paramref name="rng"/> would be, so T separate <see cref="Mlp"/>s built from one generator equal this
    /// ensemble built from a generator in the same state.
    /// </summary>
    /// <param name="members">The ensemble size T.</param>
    /// <param name="sizes">Layer widths of every member, input first and output last (at least two entries).</param>
    /// <param name="rng">Drives every initialiser.</param>
    /// <param name="activation">Hidden nonlinearity; ReLU when null (as in <see cref="Mlp"/>).</param>
    /// <param name="outputActivation">Applied after the last layer; identity when null.</param>
    /// <param name="weightInit">Hidden weight init; PyTorch's default when null.</param>
    /// <param name="outputWeightInit">Weight init of the last layer; <paramref name="weightInit"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="members"/> is not positive.</exception>
    /// <exception cref="ArgumentException">If fewer than two sizes are given or one is not positive.</exception>
    public EnsembleMlp(int members, IReadOnlyList<int> sizes, RandomGenerator rng, Activation? activation = null,
        Activation? outputActivation = null, Initializer? weightInit = null, Initializer? outputWeightInit = null)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(rng);
        if (members <= 0) throw new ArgumentOutOfRangeException(nameof(members), members, "EnsembleMlp: members must be positive.");
        if (sizes.Count < 2)
            throw new ArgumentException($"EnsembleMlp: sizes must list at least the input and output widths, got [{string.Join(", ", sizes)}].", nameof(sizes));
        for (int i = 0; i < sizes.Count; i++)
            if (sizes[i] <= 0)
                throw new ArgumentException($"EnsembleMlp: every size must be positive, but sizes[{i}] = {sizes[i]} in [{string.Join(", ", sizes)}].", nameof(sizes));
        Members = members;
        Sizes = sizes.ToArray();
        HiddenActivation = activation ?? Activation.ReLU;
        OutputActivation = outputActivation ?? Activation.Identity;
        _layers = new EnsembleLinear[sizes.Count - 1];
        for (int i = 0; i < _layers.Length; i++)
            _layers[i] = RegisterModule(i.ToString(CultureInfo.InvariantCulture), new EnsembleLinear(members, sizes[i], sizes[i + 1], bias: true));
        // Member-major, as T successive Mlps draw: all of member 0's layers, then member 1's, …
        for (int t = 0; t < members; t++)
            for (int i = 0; i < _layers.Length; i++)
                _layers[i].InitializeMember(t, rng, i == _layers.Length - 1 ? outputWeightInit ?? weightInit : weightInit, biasInit: null);
    }

    /// <summary>The ensemble size T.</summary>
    public int Members { get; }

    /// <summary>Every layer width of a member, input first.</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>The hidden-layer nonlinearity.</summary>
    public Activation HiddenActivation { get; }

    /// <summary>The nonlinearity after the last layer.</summary>
    public Activation OutputActivation { get; }

    /// <summary>The ensemble linear layers, input first.</summary>
    public IReadOnlyList<EnsembleLinear> Layers => _layers;

    /// <summary>[T, N, in] or [N, in] → [T, N, out].</summary>
    /// <exception cref="ArgumentException">If the input is neither [T, N, in] nor [N, in]; the message names the shapes.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var h = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            h = _layers[i].Forward(h);
            h = i == _layers.Length - 1 ? OutputActivation.Apply(h) : HiddenActivation.Apply(h);
        }
        return h;
    }

    /// <inheritdoc/>
    public override string ToString() => $"EnsembleMlp({Members} × [{string.Join(", ", Sizes)}], {HiddenActivation}, out={OutputActivation})";
}
