using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>
/// A network with a policy and a state-value output, as the on-policy agents (A2C, PPO, REINFORCE) use it. The
/// default is <see cref="ActorCriticNetwork"/>; the Mix &amp; Mask actor-critic (seed 000) plugs in its own.
/// </summary>
public abstract class ActorCriticModel : Module
{
    /// <summary>The flattened observation size the network reads.</summary>
    public abstract int ObservationSize { get; }

    /// <summary>The policy head.</summary>
    public abstract PolicyHead Head { get; }

    /// <summary>The action distribution for observations [B, obs…].</summary>
    public abstract IActionDistribution Policy(Tensor observations, ReadOnlySpan<bool> actionMask = default);

    /// <summary>State values [B] for observations [B, obs…].</summary>
    public abstract Tensor Value(Tensor observations);

    /// <summary>
    /// State values [B] for observations [B, obs…] whose available actions are <paramref name="actionMask"/>
    /// (row-major [B, actions]; empty = all available). Networks whose critic ignores the action set (the default)
    /// return <see cref="Value(Tensor)"/>; a relational critic (AGILE) reads the set's summary.
    /// </summary>
    public virtual Tensor Value(Tensor observations, ReadOnlySpan<bool> actionMask) => Value(observations);

    /// <summary>Both outputs from one pass over the shared parts.</summary>
    public abstract (IActionDistribution Policy, Tensor Value) Forward(Tensor observations, ReadOnlySpan<bool> actionMask = default);

    /// <summary>
    /// Greedy acting runs the network in evaluation mode (Gaussian features at their mean, batch norms on running
    /// statistics) until the returned scope is disposed; sampling keeps the current mode.
    /// </summary>
    internal ModeScope ActingMode(bool deterministic)
    {
        bool wasTraining = IsTraining;
        if (deterministic && wasTraining) Eval();
        return new ModeScope(this, wasTraining);
    }

    /// <summary>Restores a module's training mode when disposed.</summary>
    internal readonly struct ModeScope(Module network, bool wasTraining) : IDisposable
    {
        /// <summary>Puts the module back in the mode it had.</summary>
        public void Dispose()
        {
            if (network.IsTraining != wasTraining) network.Train(wasTraining);
        }
    }

    /// <summary>Observations [B, obs…] as [B, obs], or a clear error naming <paramref name="owner"/> and the shapes.</summary>
    private protected Tensor Flat(Tensor observations, string owner)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var x = observations.Rank == 2 ? observations : observations.Flatten(1);
        if (x.Rank != 2 || x.Dim(1) != ObservationSize)
            throw new ArgumentException($"{owner}: observations must be [batch, {ObservationSize}] (after flattening), got {Tensor.ShapeString(observations.Shape)}.", nameof(observations));
        return x;
    }
}
