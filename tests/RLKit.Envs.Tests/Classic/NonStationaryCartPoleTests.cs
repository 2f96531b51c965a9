using RLKit.Envs.Classic;

namespace RLKit.Envs.Tests.Classic;

public class NonStationaryCartPoleTests
{
    [Test]
    public void BodyIsResampledEveryResetWithinRangesAndReported()
    {
        using var env = new NonStationaryCartPole();
        var lengths = new HashSet<double>();
        for (int i = 0; i < 200; i++)
        {
            var info = i == 0 ? env.Reset(seed: 3).Info : env.Reset().Info;
            double length = (double)info["length"], poleMass = (double)info["masspole"], cartMass = (double)info["masscart"];
            Assert.That(length, Is.GreaterThan(0).And.LessThan(2));
            Assert.That(poleMass, Is.GreaterThan(0).And.LessThan(1));
            Assert.That(cartMass, Is.GreaterThan(0).And.LessThan(5));
            Assert.That((env.PoleHalfLength, env.PoleMass, env.CartMass), Is.EqualTo((length, poleMass, cartMass)));
            lengths.Add(length);
        }
        Assert.That(lengths, Has.Count.EqualTo(200));
        Assert.That(lengths.Max(), Is.GreaterThan(1.5), "the samples should cover the range");
    }

    [Test]
    public void SampledBodyDrivesTheDynamics()
    {
        using var env = new NonStationaryCartPole();
        var info = env.Reset(seed: 11).Info;
        double length = (double)info["length"], poleMass = (double)info["masspole"], cartMass = (double)info["masscart"];
        var s = (0.0, 0.2, 0.03, -0.1);
        env.State = new CartPoleState(s.Item1, s.Item2, s.Item3, s.Item4);
        foreach (int a in new[] { 1, 0, 1 })
        {
            env.Step(a);
            s = CartPoleTests.ReferenceStep(s, a, cartMass, poleMass, length);
            CartPoleTests.AssertClose(env.State, s);
        }
        // ...and not the stationary defaults.
        var stationary = CartPoleTests.ReferenceStep((0.0, 0.2, 0.03, -0.1), 1);
        Assert.That(Math.Abs(stationary.ThetaDot - CartPoleTests.ReferenceStep((0.0, 0.2, 0.03, -0.1), 1, cartMass, poleMass, length).ThetaDot), Is.GreaterThan(1e-6));
    }

    [Test]
    public void SeededResetsReproduceTheBody()
    {
        using var a = new NonStationaryCartPole();
        using var b = new NonStationaryCartPole();
        var ia = a.Reset(seed: 8).Info;
        var ib = b.Reset(seed: 8).Info;
        Assert.That(ia["length"], Is.EqualTo(ib["length"]));
        Assert.That(a.Reset().Info["masscart"], Is.EqualTo(b.Reset().Info["masscart"]));
    }

    [Test]
    public void RangesAreConfigurableAndValidated()
    {
        using var env = new NonStationaryCartPole(new NonStationaryCartPoleOptions { MinCartMass = 2, MaxCartMass = 2 });
        Assert.That(env.Reset(seed: 1).Info["masscart"], Is.EqualTo(2.0));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new NonStationaryCartPole(new NonStationaryCartPoleOptions { MinPoleMass = 0.5, MaxPoleMass = 0.2 }));
        Assert.That(ex!.ParamName, Is.EqualTo("MaxPoleMass"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NonStationaryCartPole(new NonStationaryCartPoleOptions { MinPoleHalfLength = -1 }));
    }

    [Test]
    public void ZeroWidthRangeAtZeroIsGuarded()
    {
        // A range that can only produce 0 would divide by zero; the guard keeps the physics finite.
        using var env = new NonStationaryCartPole(new NonStationaryCartPoleOptions { MinPoleHalfLength = 0, MaxPoleHalfLength = 1e-9 });
        env.Reset(seed: 2);
        Assert.That(env.PoleHalfLength, Is.EqualTo(NonStationaryCartPole.MinimumBodyValue));
        var r = env.Step(0);
        Assert.That(r.Observation.ToArray(), Has.All.Matches<float>(float.IsFinite));
        Assert.That(env.Id, Is.EqualTo("NonStationaryCartPole-v1"));
    }

    /// <summary>
    /// Regression (found by EnvironmentPropertyTests): with a body near the ranges' lower ends, one step carried the
    /// pole past twice the failure angle, so the terminal observation lay outside the observation space.
    /// </summary>
    [Test]
    public void TerminalObservationStaysInTheObservationSpaceForATinyBody()
    {
        var tiny = new NonStationaryCartPoleOptions
        {
            MinPoleHalfLength = 1e-5, MaxPoleHalfLength = 1e-5, MinPoleMass = 1e-5, MaxPoleMass = 1e-5, MinCartMass = 1e-3, MaxCartMass = 1e-3,
        };
        using var env = new NonStationaryCartPole(tiny);
        var space = (RLKit.Spaces.Box)env.ObservationSpace;
        for (int episode = 0; episode < 20; episode++)
        {
            Assert.That(space.Contains(env.Reset(seed: (ulong)episode).Observation));
            bool done = false;
            for (int t = 0; t < 500 && !done; t++)
            {
                var step = env.Step(t % 2);
                Assert.That(space.Contains(step.Observation), $"episode {episode}, step {t}: [{string.Join(", ", step.Observation.ToArray())}]");
                done = step.Terminated;
            }
            Assert.That(done, "a pole this light falls at once");
        }
    }
}
