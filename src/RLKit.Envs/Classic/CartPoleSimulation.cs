using RLKit.Tensors;

namespace RLKit.Envs.Classic;

/// <summary>
/// The one cart-pole physics implementation shared by every cart-pole environment: Gymnasium's CartPole-v1
/// equations (Florian's corrected Barto–Sutton–Anderson model) with explicit Euler integration, in double precision.
/// The operation order mirrors Gymnasium's so results agree to the last bits.
/// </summary>
internal sealed class CartPoleSimulation
{
    private readonly double _gravity, _tau, _xThreshold, _thetaThreshold;
    private double _cartMass, _poleMass, _length, _totalMass, _poleMassLength;

    public CartPoleSimulation(CartPoleOptions options)
    {
        _gravity = options.Gravity;
        _tau = options.TimeStep;
        _xThreshold = options.XThreshold;
        _thetaThreshold = options.ThetaThresholdRadians;
        SetBody(options.CartMass, options.PoleMass, options.PoleHalfLength);
    }

    public double X, XDot, Theta, ThetaDot;

    public double CartMass => _cartMass;
    public double PoleMass => _poleMass;
    public double PoleHalfLength => _length;
    public double XThreshold => _xThreshold;
    public double ThetaThreshold => _thetaThreshold;

    public CartPoleState State
    {
        get => new(X, XDot, Theta, ThetaDot);
        set => (X, XDot, Theta, ThetaDot) = value;
    }

    public void SetBody(double cartMass, double poleMass, double poleHalfLength)
    {
        _cartMass = cartMass;
        _poleMass = poleMass;
        _length = poleHalfLength;
        _totalMass = poleMass + cartMass;
        _poleMassLength = poleMass * poleHalfLength;
    }

    /// <summary>Gymnasium's reset: every state variable U(−0.05, 0.05), drawn in the order x, ẋ, θ, θ̇.</summary>
    public void ResetState(RandomGenerator random)
    {
        X = random.UniformDouble(-0.05, 0.05);
        XDot = random.UniformDouble(-0.05, 0.05);
        Theta = random.UniformDouble(-0.05, 0.05);
        ThetaDot = random.UniformDouble(-0.05, 0.05);
    }

    /// <summary>Advances one time step under a horizontal force on the cart.</summary>
    public void Advance(double force)
    {
        double cosTheta = Math.Cos(Theta);
        double sinTheta = Math.Sin(Theta);
        double temp = (force + _poleMassLength * (ThetaDot * ThetaDot) * sinTheta) / _totalMass;
        double thetaAcc = (_gravity * sinTheta - cosTheta * temp)
                          / (_length * (4.0 / 3.0 - _poleMass * (cosTheta * cosTheta) / _totalMass));
        double xAcc = temp - _poleMassLength * thetaAcc * cosTheta / _totalMass;
        X += _tau * XDot;
        XDot += _tau * xAcc;
        Theta += _tau * ThetaDot;
        ThetaDot += _tau * thetaAcc;
    }

    /// <summary>The pole fell or the cart left the track (Gymnasium's termination test).</summary>
    public bool HasFailed =>
        X < -_xThreshold || X > _xThreshold || Theta < -_thetaThreshold || Theta > _thetaThreshold;

    public void WriteObservation(Span<float> observation)
    {
        observation[0] = (float)X;
        observation[1] = (float)XDot;
        observation[2] = (float)Theta;
        observation[3] = (float)ThetaDot;
    }

    /// <summary>Gymnasium's observation bounds: twice the termination thresholds, float32 max for the velocities.</summary>
    public static Spaces.Box ObservationSpace(CartPoleOptions options)
    {
        float[] high = [(float)(options.XThreshold * 2), float.MaxValue, (float)(options.ThetaThresholdRadians * 2), float.MaxValue];
        return new Spaces.Box(high.Select(h => -h).ToArray(), high, [4]);
    }
}
