using RLKit.Autograd;
using RLKit.Data;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRepresentations;

/// <summary>One batch's loss and its unweighted terms, each a scalar averaged over the batch's actions.</summary>
internal readonly record struct VaeBatchLoss(Tensor Loss, Tensor Reconstruction, Tensor ActionKl, Tensor ObservationKl);

/// <summary>
/// What the two VAEs share: the training loop (RAdam; epochs over the training actions in shuffled batches of
/// <see cref="ActionEncoderOptions.BatchSize"/> actions × up to <see cref="ActionEncoderOptions.ObservationsPerAction"/>
/// sampled observations), and inference as a per-observation network summed over ALL of an action's observations
/// (in chunks), then a per-action network applied to the mean.
/// </summary>
/// <remarks>
/// Inference visits each action's observations in a canonical order (lexicographic by value) and accumulates in
/// double, so a representation is bit-identical whatever order the observations come in. The module is in evaluation
/// mode except inside <see cref="Fit"/>.
/// </remarks>
internal abstract class VaeActionEncoder : Module, IActionEncoder
{
    /// <summary>Observations per inference forward pass; bounds the memory of <see cref="Infer"/>.</summary>
    internal const int InferenceChunk = 4096;

    private readonly RandomGenerator _rng;
    private RAdam? _optimizer;

    protected VaeActionEncoder(int steps, int features, ActionEncoderOptions options, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        ActionEncoderInput.CheckShape(steps, features);
        options.Validate();
        Steps = steps;
        Features = features;
        Options = options;
        // The weights take the generator's first draws; training's sampling gets its own stream.
        _rng = rng.Split();
    }

    public abstract string Name { get; }

    public abstract int RepresentationSize { get; }

    /// <summary>Frames per observation.</summary>
    public int Steps { get; }

    /// <summary>Floats per frame.</summary>
    public int Features { get; }

    /// <summary>The (validated) options.</summary>
    public ActionEncoderOptions Options { get; }

    /// <summary>The width of <see cref="PerObservation"/>'s output, which is mean-pooled per action.</summary>
    protected abstract int PooledSize { get; }

    /// <summary>The batch's loss (mean over its actions of the weighted negative ELBO) and its terms.</summary>
    internal abstract VaeBatchLoss Loss(ObservationBatch batch, RandomGenerator rng);

    /// <summary>The per-observation part of inference: [N, Steps, Features] → [N, PooledSize].</summary>
    internal abstract Tensor PerObservation(Tensor observations);

    /// <summary>The per-action part of inference: the pooled means [A, PooledSize] → representations [A, RepresentationSize].</summary>
    internal abstract Tensor PerAction(Tensor pooled);

    public IReadOnlyList<ActionEncoderEpoch> Fit(ActionObservationSet observations, ReadOnlySpan<int> trainingActions,
                                                 IProgress<ActionEncoderEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        ActionEncoderInput.Check(observations, trainingActions, Steps, Features, Name, nameof(trainingActions));
        if (trainingActions.IsEmpty)
            throw new ArgumentException($"{Name} action encoder: trainingActions is empty; training needs at least one action.", nameof(trainingActions));
        var order = trainingActions.ToArray();
        int actionCount = order.Length;
        var epochs = new List<ActionEncoderEpoch>(Options.Epochs);
        try
        {
            for (int epoch = 1; epoch <= Options.Epochs; epoch++)
            {
                _rng.Shuffle<int>(order);
                double reconstruction = 0, actionKl = 0, observationKl = 0;
                for (int start = 0; start < actionCount; start += Options.BatchSize)
                {
                    if (cancellationToken.IsCancellationRequested) return epochs;
                    int size = Math.Min(Options.BatchSize, actionCount - start);
                    var terms = TrainStep(observations, order.AsSpan(start, size), epoch);
                    reconstruction += terms.Reconstruction * size;
                    actionKl += terms.ActionKl * size;
                    observationKl += terms.ObservationKl * size;
                }
                var report = new ActionEncoderEpoch(epoch, reconstruction / actionCount, actionKl / actionCount, observationKl / actionCount);
                epochs.Add(report);
                progress?.Report(report);
            }
            return epochs;
        }
        finally
        {
            Eval();
        }
    }

    /// <summary>
    /// One gradient step (training mode) on a batch of <paramref name="actions"/> × up to ObservationsPerAction sampled
    /// observations: the batch's loss terms, each averaged over its actions. The inputs are not checked (Fit does).
    /// </summary>
    /// <exception cref="InvalidOperationException">If the loss is not finite (nothing is updated then).</exception>
    internal (double Loss, double Reconstruction, double ActionKl, double ObservationKl) TrainStep(ActionObservationSet observations, ReadOnlySpan<int> actions, int epoch = 0)
    {
        _optimizer ??= new RAdam(Parameters(), Options.LearningRate);
        Train();
        using var scope = TensorScope.Begin();
        var batch = ObservationBatch.Sample(observations, actions, Options.ObservationsPerAction, _rng);
        var terms = Loss(batch, _rng);
        float loss = terms.Loss.Item();
        if (!float.IsFinite(loss))
            throw new InvalidOperationException($"{Name} action encoder: the loss became {loss} in epoch {epoch}; lower LearningRate ({Options.LearningRate}) or the KL weights, or scale the observations.");
        _optimizer.ZeroGrad();
        terms.Loss.Backward();
        _optimizer.Step();
        return (loss, terms.Reconstruction.Item(), terms.ActionKl.Item(), terms.ObservationKl.Item());
    }

    public float[] Infer(ActionObservationSet observations, ReadOnlySpan<int> actions)
    {
        ActionEncoderInput.Check(observations, actions, Steps, Features, Name, nameof(actions));
        Eval();
        int count = actions.Length, pooledSize = PooledSize, representation = RepresentationSize, size = observations.ObservationSize;
        var result = new float[count * representation];
        if (count == 0) return result;
        var sums = new double[count * pooledSize];
        var chunk = new float[InferenceChunk * size];
        var owners = new int[InferenceChunk];
        int rows = 0;
        using var noGrad = GradMode.NoGrad();
        for (int i = 0; i < count; i++)
        {
            var source = observations.Observations(actions[i]);
            foreach (int o in ActionEncoderInput.CanonicalOrder(observations, actions[i]))
            {
                source.Slice(o * size, size).CopyTo(chunk.AsSpan(rows * size, size));
                owners[rows++] = i;
                if (rows == InferenceChunk)
                {
                    AccumulatePerObservation(chunk, owners, rows, sums);
                    rows = 0;
                }
            }
        }
        if (rows > 0) AccumulatePerObservation(chunk, owners, rows, sums);

        for (int start = 0; start < count; start += InferenceChunk)
        {
            int n = Math.Min(InferenceChunk, count - start);
            using var scope = TensorScope.Begin();
            var pooled = Tensor.Zeros(n, pooledSize);
            var pooledData = pooled.AsSpan();
            for (int i = 0; i < n; i++)
            {
                double inverse = 1.0 / observations.ObservationCount(actions[start + i]);
                for (int j = 0; j < pooledSize; j++) pooledData[i * pooledSize + j] = (float)(sums[(start + i) * pooledSize + j] * inverse);
            }
            PerAction(pooled).AsReadOnlySpan().CopyTo(result.AsSpan(start * representation, n * representation));
        }
        return result;
    }

    private void AccumulatePerObservation(float[] chunk, int[] owners, int rows, double[] sums)
    {
        using var scope = TensorScope.Begin();
        var input = Tensor.FromSpan(chunk.AsSpan(0, rows * Steps * Features), rows, Steps, Features);
        var output = PerObservation(input).AsReadOnlySpan();
        int width = PooledSize;
        for (int r = 0; r < rows; r++)
        {
            int target = owners[r] * width;
            for (int j = 0; j < width; j++) sums[target + j] += output[r * width + j];
        }
    }

    public void Save(string path) => ActionEncoderFile.Save(path, Name, Steps, Features, Options, StateDict());

    /// <summary>Restores the weights and buffers read from a file written by <see cref="Save"/>.</summary>
    internal void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) => LoadStateDict(weights, strict: true);
}
