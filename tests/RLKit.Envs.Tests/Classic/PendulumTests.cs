using System.Text.Json;
using RLKit.Envs.Classic;

namespace RLKit.Envs.Tests.Classic;

public class PendulumTests
{
    private static double AngleNormalize(double x)
    {
        double m = (x + Math.PI) - 2 * Math.PI * Math.Floor((x + Math.PI) / (2 * Math.PI));
        return m - Math.PI;
    }

    /// <summary>Gymnasium's Pendulum-v1 step from the published equations: returns (next state, reward).</summary>
    internal static ((double Theta, double ThetaDot) Next, double Reward) ReferenceStep((double Theta, double ThetaDot) s, double u)
    {
        const double g = 10.0, m = 1.0, l = 1.0, dt = 0.05, maxSpeed = 8.0, maxTorque = 2.0;
        u = Math.Clamp(u, -maxTorque, maxTorque);
        double cost = Math.Pow(AngleNormalize(s.Theta), 2) + 0.1 * s.ThetaDot * s.ThetaDot + 0.001 * u * u;
        double thetaDot = s.ThetaDot + (3 * g / (2 * l) * Math.Sin(s.Theta) + 3.0 / (m * l * l) * u) * dt;
        thetaDot = Math.Clamp(thetaDot, -maxSpeed, maxSpeed);
        return ((s.Theta + thetaDot * dt, thetaDot), -cost);
    }

    // The second start state is near the speed limit, so the sequence exercises the ±8 clip in both directions.
    [TestCase(2.5, -0.7)]
    [TestCase(0.4, 7.8)]
    public void MatchesGymnasiumEquationsStepByStep(double theta0, double thetaDot0)
    {
        using var env = new Pendulum();
        env.Reset(seed: 5);
        var s = (theta0, thetaDot0);
        env.State = new PendulumState(theta0, thetaDot0);
        // Includes out-of-range torques, which are clipped.
        float[] torques = [2f, 0.5f, -2f, 3.5f, -7f, 1.25f, 0f, 2f, 2f, 2f, -2f, -2f, -2f, -2f, -2f, -2f, -2f, -0.3f];
        bool sawSaturation = false;
        foreach (float u in torques)
        {
            var r = env.Step([u]);
            var (next, reward) = ReferenceStep(s, u);
            s = next;
            Assert.That(env.State.Theta, Is.EqualTo(s.Item1).Within(1e-9));
            Assert.That(env.State.ThetaDot, Is.EqualTo(s.Item2).Within(1e-9));
            Assert.That(r.Reward, Is.EqualTo(reward).Within(1e-9));
            Assert.That(r.Observation.ToArray(), Is.EqualTo(new[] { (float)Math.Cos(s.Item1), (float)Math.Sin(s.Item1), (float)s.Item2 }));
            Assert.That(r.Terminated || r.Truncated, Is.False);
            sawSaturation |= Math.Abs(s.Item2) == 8.0;
        }
        if (thetaDot0 > 7) Assert.That(sawSaturation, Is.True, "the sequence should reach the speed clip");
    }

    [TestCase(3.0 * Math.PI)]
    [TestCase(-3.5)]
    [TestCase(7.0)]
    [TestCase(-Math.PI)]
    public void RewardUsesTheNormalisedAngle(double theta)
    {
        using var env = new Pendulum();
        env.Reset(seed: 0);
        env.State = new PendulumState(theta, 0);
        var r = env.Step([0f]);
        double expected = -Math.Pow(AngleNormalize(theta), 2);
        Assert.That(r.Reward, Is.EqualTo(expected).Within(1e-12));
        Assert.That(Pendulum.NormalizeAngle(theta), Is.InRange(-Math.PI, Math.PI));
    }

    [Test]
    public void ResetIsSeededAndWithinGymnasiumBounds()
    {
        using var a = new Pendulum();
        using var b = new Pendulum();
        a.Reset(seed: 9);
        b.Reset(seed: 9);
        Assert.That(a.State, Is.EqualTo(b.State));
        for (int i = 0; i < 50; i++)
        {
            a.Reset();
            Assert.That(a.State.Theta, Is.InRange(-Math.PI, Math.PI));
            Assert.That(a.State.ThetaDot, Is.InRange(-1.0, 1.0));
        }
        var custom = a.Reset(options: new Dictionary<string, object> { ["x_init"] = 0.1, ["y_init"] = 0.2 });
        Assert.That(Math.Abs(a.State.Theta), Is.LessThanOrEqualTo(0.1));
        Assert.That(Math.Abs(a.State.ThetaDot), Is.LessThanOrEqualTo(0.2));
        Assert.That(custom.Observation[2], Is.EqualTo((float)a.State.ThetaDot));
    }

    private static readonly object[] NumericBounds =
    [
        0.1, 0.1f, 0.1m, (Half)0.1, 0, 1, 1L, (short)1, (byte)1, (sbyte)1, (ushort)1, 1u, 1ul,
        JsonDocument.Parse("0.1").RootElement, JsonDocument.Parse("1").RootElement,
    ];

    [TestCaseSource(nameof(NumericBounds))]
    public void ResetBoundsAcceptAnyNumber(object bound)
    {
        using var env = new Pendulum();
        double limit = bound is JsonElement json ? json.GetDouble() : Convert.ToDouble(bound is Half h ? (double)h : bound);
        for (ulong seed = 0; seed < 10; seed++)
        {
            env.Reset(seed, new Dictionary<string, object> { ["x_init"] = bound, ["y_init"] = bound });
            Assert.That(Math.Abs(env.State.Theta), Is.LessThanOrEqualTo(limit));
            Assert.That(Math.Abs(env.State.ThetaDot), Is.LessThanOrEqualTo(limit));
        }
    }

    [Test]
    public void ResetBoundsThatAreNotFiniteNumbersGiveClearErrors()
    {
        using var env = new Pendulum();
        var text = Assert.Throws<ArgumentException>(() => env.Reset(0, new Dictionary<string, object> { ["x_init"] = "0.1" }));
        Assert.That(text!.Message, Does.Contain("\"x_init\" must be a number, got String"));
        var jsonText = Assert.Throws<ArgumentException>(() => env.Reset(0, new Dictionary<string, object> { ["y_init"] = JsonDocument.Parse("\"1\"").RootElement }));
        Assert.That(jsonText!.Message, Does.Contain("\"y_init\" must be a number, got a JSON String"));
        var huge = Assert.Throws<ArgumentOutOfRangeException>(() => env.Reset(0, new Dictionary<string, object> { ["x_init"] = JsonDocument.Parse("1e400").RootElement }));
        Assert.That(huge!.Message, Does.Contain("must be finite"));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Reset(0, new Dictionary<string, object> { ["x_init"] = double.NaN }));
    }

    [Test]
    public void BadActionsGiveClearErrors()
    {
        using var env = new Pendulum();
        Assert.Throws<InvalidOperationException>(() => env.Step([0f]));
        env.Reset(seed: 0);
        var nan = Assert.Throws<ArgumentException>(() => env.Step([float.NaN]));
        Assert.That(nan!.Message, Does.Contain("Pendulum-v1").And.Contain("finite"));
        var shape = Assert.Throws<ArgumentException>(() => env.Step([0f, 1f]));
        Assert.That(shape!.Message, Does.Contain("Pendulum-v1"));
        var type = Assert.Throws<NotSupportedException>(() => env.Step(1));
        Assert.That(type!.Message, Does.Contain("Pendulum-v1").And.Contain("Box"));
    }
}
