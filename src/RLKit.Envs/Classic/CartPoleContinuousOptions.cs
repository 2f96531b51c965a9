namespace RLKit.Envs.Classic;

/// <summary>Options of <see cref="CartPoleContinuous"/>.</summary>
public sealed record CartPoleContinuousOptions
{
    /// <summary>
    /// Physics, thresholds and reward rule, shared with <see cref="CartPole"/>. The force on the cart is the action
    /// (clipped to [−1, 1]) times <see cref="CartPoleOptions.ForceMagnitude"/>. Default: Gymnasium's CartPole-v1.
    /// </summary>
    public CartPoleOptions CartPole { get; init; } = new();

    /// <summary>
    /// The action restriction (seed 003 §4.5), or null (default) for the unrestricted "CartPoleContinuous-v1". The
    /// catalog's "RestrictedCartPoleContinuous-v1" uses the default spheres with
    /// <see cref="InvalidActionEffect.MinusOne"/>, as the seed's restricted inverted pendulum does.
    /// </summary>
    public ActionRestrictionOptions? Restriction { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    /// <exception cref="ArgumentNullException">If <see cref="CartPole"/> is null.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(CartPole, nameof(CartPole));
        CartPole.Validate();
        Restriction?.Validate();
    }
}
