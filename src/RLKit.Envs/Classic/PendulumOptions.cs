namespace RLKit.Envs.Classic;

/// <summary>Options of <see cref="Pendulum"/>. Defaults are Gymnasium's Pendulum-v1 (unrestricted).</summary>
public sealed record PendulumOptions
{
    /// <summary>Gravitational acceleration (Gymnasium's <c>g</c>). Default 10.0. Must be finite and ≥ 0.</summary>
    public double Gravity { get; init; } = 10.0;

    /// <summary>Pendulum mass. Default 1. Must be finite and &gt; 0.</summary>
    public double Mass { get; init; } = 1.0;

    /// <summary>Pendulum length. Default 1. Must be finite and &gt; 0.</summary>
    public double Length { get; init; } = 1.0;

    /// <summary>Angular speed limit (θ̇ is clipped to ±this after each update). Default 8. Must be finite and &gt; 0.</summary>
    public double MaxSpeed { get; init; } = 8.0;

    /// <summary>Torque limit: the action space is Box(−this, this, [1]); actions are clipped to it. Default 2. Must be finite and &gt; 0.</summary>
    public float MaxTorque { get; init; } = 2.0f;

    /// <summary>Seconds per step. Default 0.05. Must be finite and &gt; 0.</summary>
    public double TimeStep { get; init; } = 0.05;

    /// <summary>The action restriction (seed 003 §4.5), or null (default) for the unrestricted Pendulum-v1.</summary>
    public ActionRestrictionOptions? Restriction { get; init; }

    internal void Validate()
    {
        Check(Gravity, nameof(Gravity), allowZero: true);
        Check(Mass, nameof(Mass), allowZero: false);
        Check(Length, nameof(Length), allowZero: false);
        Check(MaxSpeed, nameof(MaxSpeed), allowZero: false);
        Check(MaxTorque, nameof(MaxTorque), allowZero: false);
        Check(TimeStep, nameof(TimeStep), allowZero: false);
        Restriction?.Validate();
    }

    private static void Check(double value, string name, bool allowZero)
    {
        bool ok = double.IsFinite(value) && (allowZero ? value >= 0 : value > 0);
        if (!ok)
            throw new ArgumentOutOfRangeException(name, value, $"PendulumOptions.{name} must be finite and {(allowZero ? "≥ 0" : "> 0")}.");
    }
}
