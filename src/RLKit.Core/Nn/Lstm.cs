using System.Globalization;
using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>The result of an <see cref="Lstm"/> pass.</summary>
/// <param name="Output">The last layer's hidden state at every step, [B, T, H·directions].</param>
/// <param name="Hidden">The final hidden state of every layer and direction, [layers·directions, B, H] (PyTorch's h_n).</param>
/// <param name="Cell">The final cell state, same layout (PyTorch's c_n).</param>
public readonly record struct LstmOutput(Tensor Output, Tensor Hidden, Tensor Cell);

/// <summary>
/// A multi-layer, optionally bidirectional LSTM over batch-first sequences [B, T, F], matching PyTorch's
/// <c>nn.LSTM(batch_first=True)</c>: gates in the order i, f, g, o; parameters "weight_ih_l{k}" [4H, in],
/// "weight_hh_l{k}" [4H, H], "bias_ih_l{k}", "bias_hh_l{k}" [4H] (with suffix "_reverse" for the backward
/// direction), all initialised U(±1/√H).
/// </summary>
/// <remarks>
/// Per step: i = σ(W_ii x + b_ii + W_hi h + b_hi), f = σ(…), g = tanh(…), o = σ(…), c' = f ⊙ c + i ⊙ g,
/// h' = o ⊙ tanh(c'). The input projections of all steps are computed in one matrix product per layer.
/// </remarks>
public sealed class Lstm : Module
{
    private readonly Tensor[] _weightIh, _weightHh;
    private readonly Tensor?[] _biasIh, _biasHh;

    /// <summary>Creates the network.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If a size is not positive.</exception>
    public Lstm(int inputSize, int hiddenSize, RandomGenerator rng, int numLayers = 1, bool bidirectional = false, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "Lstm: inputSize must be positive.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "Lstm: hiddenSize must be positive.");
        if (numLayers <= 0) throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, "Lstm: numLayers must be positive.");
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Bidirectional = bidirectional;
        int directions = Directions, cells = numLayers * directions;
        _weightIh = new Tensor[cells];
        _weightHh = new Tensor[cells];
        _biasIh = new Tensor?[cells];
        _biasHh = new Tensor?[cells];
        float bound = 1f / MathF.Sqrt(hiddenSize);
        Tensor Make(string name, params int[] shape)
        {
            var t = Tensor.AllocatePersistent(shape);
            Init.Uniform(t, rng, -bound, bound);
            return RegisterParameter(name, t);
        }
        for (int layer = 0; layer < numLayers; layer++)
        {
            int layerInput = layer == 0 ? inputSize : hiddenSize * directions;
            for (int d = 0; d < directions; d++)
            {
                string suffix = string.Create(CultureInfo.InvariantCulture, $"_l{layer}{(d == 1 ? "_reverse" : "")}");
                int cell = layer * directions + d;
                _weightIh[cell] = Make("weight_ih" + suffix, 4 * hiddenSize, layerInput);
                _weightHh[cell] = Make("weight_hh" + suffix, 4 * hiddenSize, hiddenSize);
                if (bias)
                {
                    _biasIh[cell] = Make("bias_ih" + suffix, 4 * hiddenSize);
                    _biasHh[cell] = Make("bias_hh" + suffix, 4 * hiddenSize);
                }
            }
        }
    }

    /// <summary>The input feature width F.</summary>
    public int InputSize { get; }

    /// <summary>The hidden width H.</summary>
    public int HiddenSize { get; }

    /// <summary>The number of stacked layers.</summary>
    public int NumLayers { get; }

    /// <summary>Whether each layer also runs backwards in time.</summary>
    public bool Bidirectional { get; }

    /// <summary>1, or 2 when bidirectional.</summary>
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>The width of <see cref="LstmOutput.Output"/>: H·directions.</summary>
    public int OutputSize => HiddenSize * Directions;

    /// <summary>Runs the network over <paramref name="input"/>.</summary>
    /// <param name="input">[B, T, F], batch first.</param>
    /// <param name="initialHidden">h₀ [layers·directions, B, H]; zeros when null.</param>
    /// <param name="initialCell">c₀ [layers·directions, B, H]; zeros when null.</param>
    /// <exception cref="ArgumentException">If a shape is wrong (the message names the expected shape).</exception>
    public LstmOutput Forward(Tensor input, Tensor? initialHidden = null, Tensor? initialCell = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Dim(2) != InputSize)
            throw new ArgumentException($"Lstm: input shape {Tensor.ShapeString(input.Shape)} must be [batch, time, {InputSize}].", nameof(input));
        int batch = input.Dim(0), steps = input.Dim(1), cells = NumLayers * Directions;
        CheckState(initialHidden, nameof(initialHidden), cells, batch);
        CheckState(initialCell, nameof(initialCell), cells, batch);
        if (steps == 0)
            throw new ArgumentException($"Lstm: input shape {Tensor.ShapeString(input.Shape)} has no time steps.", nameof(input));

        var finalHidden = new Tensor[cells];
        var finalCell = new Tensor[cells];
        var layerInput = input;
        for (int layer = 0; layer < NumLayers; layer++)
        {
            var outputs = new Tensor[Directions];
            for (int d = 0; d < Directions; d++)
            {
                int cell = layer * Directions + d;
                var h = initialHidden?.Narrow(0, cell, 1).Squeeze(0) ?? Tensor.Zeros(batch, HiddenSize);
                var c = initialCell?.Narrow(0, cell, 1).Squeeze(0) ?? Tensor.Zeros(batch, HiddenSize);
                var bias = _biasIh[cell] is { } bih ? bih + _biasHh[cell]! : null;
                var projected = Tensor.Linear(layerInput, _weightIh[cell], bias); // [B, T, 4H]
                var stepOutputs = new Tensor[steps];
                for (int s = 0; s < steps; s++)
                {
                    int t = d == 0 ? s : steps - 1 - s;
                    var gates = projected.Narrow(1, t, 1).Reshape(batch, 4 * HiddenSize) + Tensor.Linear(h, _weightHh[cell], null);
                    var parts = gates.Chunk(4, 1);
                    var inputGate = parts[0].Sigmoid();
                    var forgetGate = parts[1].Sigmoid();
                    var candidate = parts[2].Tanh();
                    var outputGate = parts[3].Sigmoid();
                    c = forgetGate * c + inputGate * candidate;
                    h = outputGate * c.Tanh();
                    stepOutputs[t] = h;
                }
                outputs[d] = Tensor.Stack(stepOutputs, 1); // [B, T, H]
                finalHidden[cell] = h;
                finalCell[cell] = c;
            }
            layerInput = Directions == 1 ? outputs[0] : Tensor.Concat(outputs, 2);
        }
        return new LstmOutput(layerInput, Tensor.Stack(finalHidden, 0), Tensor.Stack(finalCell, 0));
    }

    private void CheckState(Tensor? state, string name, int cells, int batch)
    {
        if (state is null) return;
        if (state.Rank != 3 || state.Dim(0) != cells || state.Dim(1) != batch || state.Dim(2) != HiddenSize)
            throw new ArgumentException($"Lstm: {name} shape {Tensor.ShapeString(state.Shape)} must be [layers·directions={cells}, batch={batch}, {HiddenSize}].", name);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Lstm(in={InputSize}, hidden={HiddenSize}, layers={NumLayers}{(Bidirectional ? ", bidirectional" : "")})";
}
