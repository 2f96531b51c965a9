using RLKit.Algorithms.Common;
using RLKit.Distributions;
using RLKit.Nn;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.MultiTaskSac;

/// <summary>
/// Every task's soft actor-critic as batched networks: the actors (one <see cref="TaskNetworks"/> whose T members output
/// each task's pre-tanh mean and log-std), the twin critics Q1, Q2 (T members each, input observation ⊕ action) and the
/// per-task log α ([T]); plus, for methods that keep one (<see cref="MultiTaskSacOptions.HasCentralPolicy"/>), a central
/// task-agnostic actor of the same shape as one task's actor. Tensors are task-major: [T, N, ·], row block t for task t.
/// Actions are in the environment's units (tanh squashed, then rescaled to the Box), in the replay buffers and in the
/// critics' inputs alike.
/// </summary>
internal sealed class MultiTaskSacModel
{
    /// <summary>Builds every network from <paramref name="rng"/>: the actors, Q1, Q2, then the central policy if any.</summary>
    /// <param name="observationSize">Floats per observation.</param>
    /// <param name="actionSpace">The bounded Box the actions are rescaled to.</param>
    /// <param name="tasks">T.</param>
    /// <param name="options">The hyperparameters (widths, activation, sharing, log-std range, initial log α).</param>
    /// <param name="rng">Initialises the networks.</param>
    /// <param name="layout">The task networks' layout; null for the one <see cref="MultiTaskSacOptions.Sharing"/> names
    /// (the benchmark passes <see cref="TaskNetworkLayout.LoopedSeparate"/> for its before row).</param>
    public MultiTaskSacModel(int observationSize, Box actionSpace, int tasks, MultiTaskSacOptions options, RandomGenerator rng, TaskNetworkLayout? layout = null)
    {
        Options = options;
        ObservationSize = observationSize;
        Tasks = tasks;
        Rescaler = new ActionRescaler(actionSpace);
        int actionSize = Rescaler.Size;
        var (networks, hidden, activation) = (layout ?? TaskNetworks.LayoutOf(options.Sharing), options.HiddenSizes, options.Activation);
        Actor = TaskNetworks.Create(networks, tasks, observationSize, hidden, 2 * actionSize, activation, rng);
        Q1 = TaskNetworks.Create(networks, tasks, observationSize + actionSize, hidden, 1, activation, rng);
        Q2 = TaskNetworks.Create(networks, tasks, observationSize + actionSize, hidden, 1, activation, rng);
        LogAlpha = Tensor.FromArray(Enumerable.Repeat(options.InitialLogAlpha, tasks).ToArray(), tasks);
        LogAlpha.RequiresGrad = true;
        if (options.HasCentralPolicy)
            Central = TaskNetworks.Create(TaskParameterSharing.Separate, 1, observationSize, hidden, 2 * actionSize, activation, rng);
    }

    public MultiTaskSacOptions Options { get; }

    public int ObservationSize { get; }

    public int ActionSize => Rescaler.Size;

    /// <summary>T, the number of tasks.</summary>
    public int Tasks { get; }

    public ActionRescaler Rescaler { get; }

    /// <summary>π_1…π_T: [·, obs] → [T, N, 2·|A|], the pre-tanh mean then the raw log-std.</summary>
    public TaskNetworks Actor { get; }

    public TaskNetworks Q1 { get; }

    public TaskNetworks Q2 { get; }

    /// <summary>log α of every task, [T].</summary>
    public Tensor LogAlpha { get; }

    /// <summary>The central policy (one member shaped like a task actor), or null when the method keeps none.</summary>
    public TaskNetworks? Central { get; }

    /// <summary>The target entropy H̄ of every temperature: the option, or −|A|.</summary>
    public float TargetEntropy => Options.TargetEntropy ?? -ActionSize;

    /// <summary>
    /// Splits an actor's output [.., 2·|A|] into the pre-tanh mean and the log-std clamped to
    /// [<see cref="MultiTaskSacOptions.LogStdMin"/>, <see cref="MultiTaskSacOptions.LogStdMax"/>] (garage clamps σ the same way).
    /// </summary>
    public (Tensor Mean, Tensor LogStd) Gaussian(Tensor actorOutput)
    {
        int last = actorOutput.Rank - 1;
        return (actorOutput.Narrow(last, 0, ActionSize),
                actorOutput.Narrow(last, ActionSize, ActionSize).Clamp(Options.LogStdMin, Options.LogStdMax));
    }

    /// <summary>
    /// A reparameterised action tanh(μ + σ·<paramref name="noise"/>) in the environment's units and its log-probability
    /// [.., N] under the rescaled squashed Gaussian (the rescaling's constant log-determinant included, as in SAC).
    /// </summary>
    public (Tensor Action, Tensor LogProb) Sample(Tensor mean, Tensor logStd, Tensor noise)
    {
        var (squashed, logProb) = new TanhGaussian(mean, logStd).RSampleWithLogProb(noise);
        return (Rescaler.ToEnvironment(squashed), logProb - Rescaler.LogScaleSum);
    }

    /// <summary>
    /// Acting's fused form of <see cref="Gaussian"/>, <see cref="SampleAction"/> and <see cref="MeanAction"/> on plain
    /// spans (no autograd, no tensors): from actor outputs [rows × 2|A|] and standard-normal <paramref name="noise"/>
    /// [rows × |A|], writes each row's sampled action scale·tanh(μ + σε) + bias and, unless <paramref name="means"/> is
    /// empty, its mean action scale·tanh(μ) + bias. Collection calls it at every environment step, where a dozen small
    /// tensor ops would cost more than the arithmetic.
    /// </summary>
    public void Actions(ReadOnlySpan<float> actorOutput, ReadOnlySpan<float> noise, Span<float> sampled, Span<float> means)
    {
        int actionSize = ActionSize, rows = noise.Length / actionSize;
        var scale = Rescaler.Scale.AsReadOnlySpan();
        var bias = Rescaler.Bias.AsReadOnlySpan();
        float min = Options.LogStdMin, max = Options.LogStdMax;
        for (int r = 0; r < rows; r++)
        {
            var output = actorOutput.Slice(r * 2 * actionSize, 2 * actionSize);
            for (int d = 0; d < actionSize; d++)
            {
                int i = r * actionSize + d;
                float mean = output[d], std = MathF.Exp(Math.Clamp(output[actionSize + d], min, max));
                sampled[i] = scale[d] * MathF.Tanh(mean + std * noise[i]) + bias[d];
                if (!means.IsEmpty) means[i] = scale[d] * MathF.Tanh(mean) + bias[d];
            }
        }
    }

    /// <summary>The action tanh(μ + σ·<paramref name="noise"/>) in the environment's units, without its log-probability (for acting).</summary>
    public Tensor SampleAction(Tensor mean, Tensor logStd, Tensor noise) => Rescaler.ToEnvironment((mean + logStd.Exp() * noise).Tanh());

    /// <summary>The mean action tanh(μ) in the environment's units: the deterministic action, and what QMP's Q-switch scores.</summary>
    public Tensor MeanAction(Tensor mean) => Rescaler.ToEnvironment(mean.Tanh());

    /// <summary>Q values [T, N] of one twin critic for observations and actions [T, N, ·] (row block t scored by task t's critic).</summary>
    public static Tensor Q(TaskNetworks critic, Tensor observations, Tensor actions)
    {
        var q = critic.Forward(Tensor.Concat([observations, actions], 2));
        return q.Reshape(q.Dim(0), q.Dim(1));
    }

    /// <summary>Every module, under its checkpoint prefix: "actor", "q1", "q2", then "central" when there is one.</summary>
    public IEnumerable<(string Prefix, Module Module)> Modules()
    {
        yield return ("actor", Actor);
        yield return ("q1", Q1);
        yield return ("q2", Q2);
        if (Central is not null) yield return ("central", Central);
    }
}
