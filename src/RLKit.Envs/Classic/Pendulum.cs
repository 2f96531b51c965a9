using System.Globalization;
using System.Text.Json;
using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Envs.Classic;

/// <summary>
/// Pendulum-v1 with Gymnasium's exact dynamics: swing a pendulum up and hold it upright with a bounded torque; and,
/// with <see cref="PendulumOptions.Restriction"/>, seed 003's restricted pendulum ("RestrictedPendulum-v1").
/// </summary>
/// <remarks>
/// <para>Action Box(−2, 2, [1]) (torque; out-of-range actions are clipped, as in Gymnasium). Observation float32
/// [cos θ, sin θ, θ̇]. Reward −(norm(θ)² + 0.1·θ̇² + 0.001·u²) from the state before the update, with norm(θ) in
/// [−π, π). Dynamics: θ̇ ← clip(θ̇ + (3g/(2l)·sin θ + 3/(m l²)·u)·dt, ±8); θ ← θ + θ̇·dt. Never terminates; the
/// catalog wraps it in a 200-step <see cref="RLKit.Environments.Wrappers.TimeLimit"/>.</para>
/// <para>Reset draws θ ~ U(−π, π) then θ̇ ~ U(−1, 1). As in Gymnasium, reset options "x_init" and "y_init" (finite
/// numbers of any .NET numeric type, or a <see cref="JsonElement"/> holding a JSON number, as options read from
/// configuration arrive) replace the bounds π and 1.</para>
/// <para>Restricted: the clipped action is checked against the hyperspheres; an invalid one applies torque 0
/// (<see cref="InvalidActionEffect.Zero"/>, the default) or −1 (<see cref="InvalidActionEffect.MinusOne"/>, clipped
/// to the torque limit). The reward's control cost uses the torque actually applied. Step info holds
/// "action_valid" (bool) when restricted, and is empty otherwise.</para>
/// <para>Arithmetic is in double throughout, as the published equations. (Under NumPy 2's scalar promotion, Gymnasium
/// evaluates the torque terms in float32, so it can differ from RLKit by float32 rounding, ~1e-7 relative.)</para>
/// </remarks>
public sealed class Pendulum : EnvironmentBase, IRestrictedActionEnvironment
{
    private readonly double _gravity, _mass, _length, _maxSpeed, _dt;
    private readonly float _maxTorque;
    private double _theta, _thetaDot;

    /// <summary>Creates a pendulum (Gymnasium's Pendulum-v1 when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If an option is out of its documented range.</exception>
    public Pendulum(PendulumOptions? options = null) : this(Validated(options), validated: true) { }

    private Pendulum(PendulumOptions options, bool validated)
        : base(new Box([-1f, -1f, (float)-options.MaxSpeed], [1f, 1f, (float)options.MaxSpeed], [3]),
               new Box(-options.MaxTorque, options.MaxTorque, 1))
    {
        Options = options;
        _gravity = options.Gravity;
        _mass = options.Mass;
        _length = options.Length;
        _maxSpeed = options.MaxSpeed;
        _dt = options.TimeStep;
        _maxTorque = options.MaxTorque;
        if (options.Restriction is { } restriction)
            Restriction = new HypersphereActionRestriction((Box)ActionSpace, restriction);
    }

    /// <inheritdoc/>
    public override string Id => Restriction is null ? "Pendulum-v1" : "RestrictedPendulum-v1";

    /// <summary>The options this environment was created with.</summary>
    public PendulumOptions Options { get; }

    /// <inheritdoc/>
    public HypersphereActionRestriction? Restriction { get; }

    /// <summary>
    /// The physical state. Setting it (after Reset) lets tests and research code drive the environment from a known
    /// state; the next Step starts from it.
    /// </summary>
    public PendulumState State
    {
        get => new(_theta, _thetaDot);
        set => (_theta, _thetaDot) = value;
    }

    /// <inheritdoc/>
    public bool IsValidAction(ReadOnlySpan<float> action)
    {
        if (action.Length != 1)
            throw new ArgumentException($"{Id}: an action has 1 value, got {action.Length}.", nameof(action));
        if (Restriction is null) return true;
        float torque = Math.Clamp(action[0], -_maxTorque, _maxTorque);
        return Restriction.IsValid(new ReadOnlySpan<float>(in torque));
    }

    private static PendulumOptions Validated(PendulumOptions? options)
    {
        options ??= new PendulumOptions();
        options.Validate();
        return options;
    }

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        double thetaBound = ResetBound(options, "x_init", Math.PI);
        double thetaDotBound = ResetBound(options, "y_init", 1.0);
        _theta = Random.UniformDouble(-thetaBound, thetaBound);
        _thetaDot = Random.UniformDouble(-thetaDotBound, thetaDotBound);
        WriteObservation(observation);
        return null;
    }

    private double ResetBound(IReadOnlyDictionary<string, object>? options, string key, double fallback)
    {
        if (options is null || !options.TryGetValue(key, out var value)) return fallback;
        double bound = value switch
        {
            double or float or decimal or sbyte or byte or short or ushort or int or uint or long or ulong =>
                Convert.ToDouble(value, CultureInfo.InvariantCulture),
            Half h => (double)h,
            // A JSON number beyond the double range reads as infinite, which the check below reports.
            JsonElement { ValueKind: JsonValueKind.Number } json => json.TryGetDouble(out double d) ? d : double.PositiveInfinity,
            JsonElement json => throw new ArgumentException($"{Id}: reset option \"{key}\" must be a number, got a JSON {json.ValueKind}.", nameof(options)),
            _ => throw new ArgumentException($"{Id}: reset option \"{key}\" must be a number, got {value?.GetType().Name ?? "null"}.", nameof(options)),
        };
        if (!double.IsFinite(bound))
            throw new ArgumentOutOfRangeException(nameof(options), bound, $"{Id}: reset option \"{key}\" must be finite.");
        return Math.Abs(bound);
    }

    /// <inheritdoc/>
    protected override Transition StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        float torque = Math.Clamp(action[0], -_maxTorque, _maxTorque);
        IReadOnlyDictionary<string, object>? info = null;
        if (Restriction is not null)
        {
            bool valid = Restriction.IsValid(new ReadOnlySpan<float>(in torque));
            if (!valid)
                torque = Restriction.Options.InvalidActionEffect == InvalidActionEffect.Zero ? 0f : Math.Clamp(-1f, -_maxTorque, _maxTorque);
            info = valid ? ActionValidityInfo.Valid : ActionValidityInfo.Invalid;
        }

        double u = torque;
        double theta = _theta, thetaDot = _thetaDot;
        double normalized = NormalizeAngle(theta);
        double cost = normalized * normalized + 0.1 * (thetaDot * thetaDot) + 0.001 * (u * u);
        double newThetaDot = thetaDot + (3 * _gravity / (2 * _length) * Math.Sin(theta) + 3.0 / (_mass * (_length * _length)) * u) * _dt;
        newThetaDot = Math.Clamp(newThetaDot, -_maxSpeed, _maxSpeed);
        _theta = theta + newThetaDot * _dt;
        _thetaDot = newThetaDot;
        WriteObservation(observation);
        return new Transition(-cost, Terminated: false, Info: info);
    }

    /// <summary>Gymnasium's <c>angle_normalize</c>: ((x + π) mod 2π) − π with Python's floored modulo, in [−π, π).</summary>
    internal static double NormalizeAngle(double x)
    {
        const double twoPi = 2 * Math.PI;
        double shifted = x + Math.PI;
        double r = shifted % twoPi;
        if (r < 0) r += twoPi;
        return r - Math.PI;
    }

    private void WriteObservation(Span<float> observation)
    {
        observation[0] = (float)Math.Cos(_theta);
        observation[1] = (float)Math.Sin(_theta);
        observation[2] = (float)_thetaDot;
    }
}
