using RLKit.Training;

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

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(PendulumOptions);
        OptionRules.NonNegative(Gravity, record, nameof(Gravity));
        OptionRules.Positive(Mass, record, nameof(Mass));
        OptionRules.Positive(Length, record, nameof(Length));
        OptionRules.Positive(MaxSpeed, record, nameof(MaxSpeed));
        OptionRules.Positive(MaxTorque, record, nameof(MaxTorque));
        OptionRules.Positive(TimeStep, record, nameof(TimeStep));
        Restriction?.Validate();
    }
}
