namespace RLKit.Envs.Classic;

/// <summary>The physical state of a pendulum, in double precision (Gymnasium's <c>state</c>).</summary>
/// <param name="Theta">Angle (radians, 0 = upright; not normalised).</param>
/// <param name="ThetaDot">Angular velocity (rad/s).</param>
public readonly record struct PendulumState(double Theta, double ThetaDot);
