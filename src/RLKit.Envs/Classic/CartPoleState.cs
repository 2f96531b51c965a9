namespace RLKit.Envs.Classic;

/// <summary>The physical state of a cart-pole, in double precision (Gymnasium's <c>state</c>).</summary>
/// <param name="X">Cart position (m).</param>
/// <param name="XDot">Cart velocity (m/s).</param>
/// <param name="Theta">Pole angle from vertical (radians, positive = leaning right).</param>
/// <param name="ThetaDot">Pole angular velocity (rad/s).</param>
public readonly record struct CartPoleState(double X, double XDot, double Theta, double ThetaDot);
