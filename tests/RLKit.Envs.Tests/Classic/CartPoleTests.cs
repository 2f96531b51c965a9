using RLKit.Envs.Classic;

namespace RLKit.Envs.Tests.Classic;

public class CartPoleTests
{
    /// <summary>Gymnasium's CartPole-v1 step, written from the published equations (Florian 2005, Euler).</summary>
    internal static (double X, double XDot, double Theta, double ThetaDot) ReferenceStep(
        (double X, double XDot, double Theta, double ThetaDot) s, int action,
        double masscart = 1.0, double masspole = 0.1, double length = 0.5)
    {
        const double gravity = 9.8, forceMag = 10.0, tau = 0.02;
        double totalMass = masspole + masscart;
        double poleMassLength = masspole * length;
        double force = action == 1 ? forceMag : -forceMag;
        double cos = Math.Cos(s.Theta), sin = Math.Sin(s.Theta);
        double temp = (force + poleMassLength * s.ThetaDot * s.ThetaDot * sin) / totalMass;
        double thetaAcc = (gravity * sin - cos * temp) / (length * (4.0 / 3.0 - masspole * cos * cos / totalMass));
        double xAcc = temp - poleMassLength * thetaAcc * cos / totalMass;
        return (s.X + tau * s.XDot, s.XDot + tau * xAcc, s.Theta + tau * s.ThetaDot, s.ThetaDot + tau * thetaAcc);
    }

    internal static void AssertClose(CartPoleState actual, (double X, double XDot, double Theta, double ThetaDot) expected, double tolerance = 1e-9)
    {
        Assert.That(actual.X, Is.EqualTo(expected.X).Within(tolerance), "x");
        Assert.That(actual.XDot, Is.EqualTo(expected.XDot).Within(tolerance), "x_dot");
        Assert.That(actual.Theta, Is.EqualTo(expected.Theta).Within(tolerance), "theta");
        Assert.That(actual.ThetaDot, Is.EqualTo(expected.ThetaDot).Within(tolerance), "theta_dot");
    }

    [Test]
    public void MatchesGymnasiumEquationsStepByStep()
    {
        using var env = new CartPole();
        env.Reset(seed: 1);
        var start = (0.03, -0.2, 0.04, 0.3);
        env.State = new CartPoleState(start.Item1, start.Item2, start.Item3, start.Item4);
        var expected = start;
        int[] actions = [1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0];
        foreach (int a in actions)
        {
            var r = env.Step(a);
            expected = ReferenceStep(expected, a);
            AssertClose(env.State, expected);
            Assert.That(r.Observation.ToArray(), Is.EqualTo(new[] { (float)expected.Item1, (float)expected.Item2, (float)expected.Item3, (float)expected.Item4 }));
            Assert.That(r.Reward, Is.EqualTo(1.0));
            Assert.That(r.Terminated, Is.False);
        }
    }

    [Test]
    public void Action0PushesLeftAndAction1PushesRight()
    {
        using var env = new CartPole();
        env.Reset(seed: 0);
        env.State = default;
        env.Step(0);
        Assert.That(env.State.XDot, Is.LessThan(0));
        env.State = default;
        env.Step(1);
        Assert.That(env.State.XDot, Is.GreaterThan(0));
    }

    [TestCase(2.39, 0.0, false)]
    [TestCase(2.41, 0.0, true)]
    [TestCase(-2.41, 0.0, true)]
    [TestCase(0.0, 0.2094, false)]
    [TestCase(0.0, 0.2096, true)]
    [TestCase(0.0, -0.2096, true)]
    public void TerminatesBeyondTheThresholdsAndStillPaysOne(double x, double theta, bool terminal)
    {
        using var env = new CartPole();
        env.Reset(seed: 0);
        // One Euler step moves x and theta by tau times their (zero) velocities, so the thresholds are tested exactly.
        env.State = new CartPoleState(x, 0, theta, 0);
        var r = env.Step(1);
        Assert.That(r.Terminated, Is.EqualTo(terminal));
        Assert.That(r.Truncated, Is.False);
        Assert.That(r.Reward, Is.EqualTo(1.0));
        Assert.That(12 * 2 * Math.PI / 360, Is.EqualTo(0.20943951).Within(1e-8));
    }

    [Test]
    public void FailureRewardReplacesOnlyTheTerminalReward()
    {
        using var env = new CartPole(new CartPoleOptions { FailureReward = -1 });
        env.Reset(seed: 0);
        env.State = new CartPoleState(0, 0, 0.1, 0);
        Assert.That(env.Step(1).Reward, Is.EqualTo(1.0));
        env.State = new CartPoleState(0, 0, 0.3, 0);
        var r = env.Step(1);
        Assert.That(r.Terminated, Is.True);
        Assert.That(r.Reward, Is.EqualTo(-1.0));
    }

    [Test]
    public void SteppingAfterTerminationThrowsNamingTheEnv()
    {
        using var env = new CartPole();
        env.Reset(seed: 0);
        env.State = new CartPoleState(3, 0, 0, 0);
        Assert.That(env.Step(0).Terminated, Is.True);
        var ex = Assert.Throws<InvalidOperationException>(() => env.Step(0));
        Assert.That(ex!.Message, Does.Contain("CartPole-v1").And.Contain("Reset"));
    }

    [Test]
    public void ResetStateIsUniformWithinFiveHundredthsAndSeeded()
    {
        using var a = new CartPole();
        using var b = new CartPole();
        float[] first = a.Reset(seed: 42).Observation.ToArray();
        Assert.That(b.Reset(seed: 42).Observation.ToArray(), Is.EqualTo(first));
        Assert.That(first, Has.All.InRange(-0.05f, 0.05f));
        var state = a.State;
        Assert.That(new[] { state.X, state.XDot, state.Theta, state.ThetaDot }.Select(v => (float)v), Is.EqualTo(first));

        // Unseeded resets continue the stream: equal across the two envs, different from the first episode.
        float[] second = a.Reset().Observation.ToArray();
        Assert.That(b.Reset().Observation.ToArray(), Is.EqualTo(second));
        Assert.That(second, Is.Not.EqualTo(first));

        using var c = new CartPole();
        Assert.That(c.Reset(seed: 43).Observation.ToArray(), Is.Not.EqualTo(first));
    }

    [Test]
    public void PhysicalParametersAreOverridable()
    {
        var options = new CartPoleOptions { CartMass = 2.0, PoleMass = 0.3, PoleHalfLength = 0.8 };
        using var env = new CartPole(options);
        env.Reset(seed: 0);
        var s = (0.0, 0.1, 0.05, -0.1);
        env.State = new CartPoleState(s.Item1, s.Item2, s.Item3, s.Item4);
        env.Step(0);
        AssertClose(env.State, ReferenceStep(s, 0, masscart: 2.0, masspole: 0.3, length: 0.8));
    }

    [TestCase("CartMass", 0.0)]
    [TestCase("PoleHalfLength", -1.0)]
    [TestCase("TimeStep", double.NaN)]
    public void InvalidOptionsNameTheOption(string name, double value)
    {
        var options = name switch
        {
            "CartMass" => new CartPoleOptions { CartMass = value },
            "PoleHalfLength" => new CartPoleOptions { PoleHalfLength = value },
            _ => new CartPoleOptions { TimeStep = value },
        };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new CartPole(options));
        Assert.That(ex!.ParamName, Is.EqualTo(name));
    }

    [Test]
    public void BadActionsGiveClearErrors()
    {
        using var env = new CartPole();
        env.Reset(seed: 0);
        var wrongType = Assert.Throws<NotSupportedException>(() => env.Step(new float[] { 1f }));
        Assert.That(wrongType!.Message, Does.Contain("CartPole-v1").And.Contain("Discrete(2)"));
        var outOfRange = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(2));
        Assert.That(outOfRange!.Message, Does.Contain("CartPole-v1").And.Contain("2"));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(-1));
    }

    [Test]
    public void SpacesMatchGymnasium()
    {
        using var env = new CartPole();
        Assert.That(env.ActionSpace.Description, Is.EqualTo("Discrete(2)"));
        var box = (RLKit.Spaces.Box)env.ObservationSpace;
        Assert.That(box.High.ToArray(), Is.EqualTo(new[] { 4.8f, float.MaxValue, (float)(2 * 12 * 2 * Math.PI / 360), float.MaxValue }));
        Assert.That(box.Low[0], Is.EqualTo(-4.8f));
    }
}
