using System.Runtime.CompilerServices;
using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// A multi-layer perceptron: Linear → [LayerNorm] → activation for each hidden layer, then a final Linear and
/// an output activation. Children are named "0", "1", … for the linear layers (so parameters read
/// "0.weight", "1.bias", …) and "norm0", "norm1", … for the layer norms.
/// </summary>
/// <example>
/// <code>
/// var actor = Mlp.Builder(obsSize).Hidden(64, 64).Output(actions).Activation(Activation.Tanh)
///                .WeightInit(Initializer.Orthogonal(MathF.Sqrt(2))).OutputWeightInit(Initializer.Orthogonal(0.01f))
///                .Build(rng);
/// </code>
/// </example>
public sealed class Mlp : Layer
{
    private readonly Linear[] _linears;
    private readonly LayerNorm?[] _norms;

    /// <summary>
    /// Creates the network. <paramref name="sizes"/> lists every layer width, input first and output last
    /// (at least two entries).
    /// </summary>
    /// <param name="sizes">Layer widths, e.g. [obs, 64, 64, actions].</param>
    /// <param name="rng">Drives every initialiser.</param>
    /// <param name="activation">Hidden nonlinearity; ReLU when null.</param>
    /// <param name="outputActivation">Applied after the last Linear; identity when null.</param>
    /// <param name="layerNorm">Insert a LayerNorm after each hidden Linear, before the activation.</param>
    /// <param name="weightInit">Hidden weight init; PyTorch's default when null.</param>
    /// <param name="biasInit">Bias init of every layer; PyTorch's default when null.</param>
    /// <param name="outputWeightInit">Weight init of the last layer; <paramref name="weightInit"/> when null.</param>
    /// <exception cref="ArgumentException">If fewer than two sizes are given or one is not positive.</exception>
    public Mlp(IReadOnlyList<int> sizes, RandomGenerator rng, Activation? activation = null, Activation? outputActivation = null,
        bool layerNorm = false, Initializer? weightInit = null, Initializer? biasInit = null, Initializer? outputWeightInit = null)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(rng);
        if (sizes.Count < 2)
            throw new ArgumentException($"Mlp: sizes must list at least the input and output widths, got [{string.Join(", ", sizes)}].", nameof(sizes));
        for (int i = 0; i < sizes.Count; i++)
            if (sizes[i] <= 0)
                throw new ArgumentException($"Mlp: every size must be positive, but sizes[{i}] = {sizes[i]} in [{string.Join(", ", sizes)}].", nameof(sizes));
        Sizes = sizes.ToArray();
        HiddenActivation = activation ?? Nn.Activation.ReLU;
        OutputActivation = outputActivation ?? Nn.Activation.Identity;
        int layers = sizes.Count - 1;
        _linears = new Linear[layers];
        _norms = new LayerNorm?[layers];
        for (int i = 0; i < layers; i++)
        {
            bool last = i == layers - 1;
            var init = last ? outputWeightInit ?? weightInit : weightInit;
            _linears[i] = RegisterModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new Linear(sizes[i], sizes[i + 1], rng, bias: true, init, biasInit));
            if (layerNorm && !last)
                _norms[i] = RegisterModule($"norm{i}", new LayerNorm(sizes[i + 1]));
        }
    }

    /// <summary>Starts a fluent description of an MLP with the given input width.</summary>
    public static MlpBuilder Builder(int inputSize) => new(inputSize);

    /// <summary>Every layer width, input first.</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>The input width.</summary>
    public int InputSize => Sizes[0];

    /// <summary>The output width.</summary>
    public int OutputSize => Sizes[^1];

    /// <summary>The hidden-layer nonlinearity.</summary>
    public Activation HiddenActivation { get; }

    /// <summary>The nonlinearity after the last layer.</summary>
    public Activation OutputActivation { get; }

    /// <summary>The linear layers, input first.</summary>
    public IReadOnlyList<Linear> Layers => _linears;

    /// <summary>The layer norm after each hidden linear layer (null where there is none; the last entry always is).</summary>
    internal IReadOnlyList<LayerNorm?> Norms => _norms;

    /// <summary>[.., input] → [.., output].</summary>
    [MethodImpl(HotPath.Optimized)]
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var h = input;
        for (int i = 0; i < _linears.Length; i++)
        {
            h = _linears[i].Forward(h);
            if (i == _linears.Length - 1) return OutputActivation.Apply(h);
            if (_norms[i] is { } norm) h = norm.Forward(h);
            h = HiddenActivation.Apply(h);
        }
        return h;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Mlp([{string.Join(", ", Sizes)}], {HiddenActivation}, out={OutputActivation}{(_norms.Any(n => n is not null) ? ", layer norm" : "")})";
}

/// <summary>A fluent description of an <see cref="Mlp"/>; see <see cref="Mlp.Builder"/>.</summary>
public sealed class MlpBuilder
{
    private readonly List<int> _sizes;
    private Activation _activation = Nn.Activation.ReLU;
    private Activation _outputActivation = Nn.Activation.Identity;
    private bool _layerNorm;
    private Initializer? _weightInit, _biasInit, _outputWeightInit;
    private int? _output;

    internal MlpBuilder(int inputSize) => _sizes = [inputSize];

    /// <summary>Appends hidden layers of the given widths.</summary>
    public MlpBuilder Hidden(params int[] widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        _sizes.AddRange(widths);
        return this;
    }

    /// <summary>Sets the output width (required).</summary>
    public MlpBuilder Output(int width)
    {
        _output = width;
        return this;
    }

    /// <summary>Sets the hidden nonlinearity (default ReLU).</summary>
    public MlpBuilder Activation(Activation activation)
    {
        _activation = activation;
        return this;
    }

    /// <summary>Sets the nonlinearity after the last layer (default identity).</summary>
    public MlpBuilder OutputActivation(Activation activation)
    {
        _outputActivation = activation;
        return this;
    }

    /// <summary>Adds a LayerNorm after each hidden layer.</summary>
    public MlpBuilder LayerNorm(bool enabled = true)
    {
        _layerNorm = enabled;
        return this;
    }

    /// <summary>Sets the weight init of every layer (and of the output layer unless <see cref="OutputWeightInit"/> is set).</summary>
    public MlpBuilder WeightInit(Initializer init)
    {
        _weightInit = init;
        return this;
    }

    /// <summary>Sets the bias init of every layer.</summary>
    public MlpBuilder BiasInit(Initializer init)
    {
        _biasInit = init;
        return this;
    }

    /// <summary>Sets the weight init of the output layer only.</summary>
    public MlpBuilder OutputWeightInit(Initializer init)
    {
        _outputWeightInit = init;
        return this;
    }

    /// <summary>Creates the network.</summary>
    /// <exception cref="InvalidOperationException">If <see cref="Output"/> was not called.</exception>
    public Mlp Build(RandomGenerator rng)
    {
        if (_output is not int output)
            throw new InvalidOperationException("MlpBuilder: call Output(width) before Build.");
        return new Mlp([.. _sizes, output], rng, _activation, _outputActivation, _layerNorm, _weightInit, _biasInit, _outputWeightInit);
    }
}
