using RLKit.Envs.Classic;
using RLKit.Spaces;

namespace RLKit.Envs.Tests.Classic;

public class RestrictedControlTests
{
    private static readonly ActionRestrictionOptions Restriction = new() { SphereCount = 3, MinRadius = 0.1, MaxRadius = 0.2, Seed = 7 };

    /// <summary>Finds an action of the given validity on a fine grid of [low, high].</summary>
    private static float Find(IRestrictedActionEnvironment env, bool valid, float low, float high)
    {
        for (int i = 0; i <= 1000; i++)
        {
            float a = low + (high - low) * i / 1000f;
            if (env.IsValidAction([a]) == valid && a != 0f && a != -1f) return a;
        }
        throw new InvalidOperationException($"no {(valid ? "valid" : "invalid")} action found");
    }

    [Test]
    public void IsValidActionMatchesTheHypersphereDefinition()
    {
        using var env = new Pendulum(new PendulumOptions { Restriction = Restriction });
        var r = env.Restriction!;
        Assert.That(r.SphereCount, Is.EqualTo(3));
        Assert.That(r.Radii.ToArray(), Has.All.InRange(0.1f, 0.2f));
        Assert.That(r.Centres.ToArray(), Has.All.InRange(-1f, 1f));
        int valid = 0;
        for (int i = 0; i <= 400; i++)
        {
            float torque = -2f + 4f * i / 400f;
            double normalised = torque / 2.0;
            bool expected = false;
            for (int s = 0; s < r.SphereCount; s++)
                expected |= Math.Abs(normalised - r.Centres[s]) <= r.Radii[s];
            Assert.That(env.IsValidAction([torque]), Is.EqualTo(expected), $"torque {torque}");
            valid += expected ? 1 : 0;
        }
        Assert.That(valid, Is.InRange(1, 400), "both valid and invalid actions exist");
    }

    [Test]
    public void TwoDimensionalSpheresUseEuclideanDistanceInTheNormalisedBox()
    {
        var box = new Box([0f, -10f], [4f, 10f], [2]);
        var r = new HypersphereActionRestriction(box, new ActionRestrictionOptions { SphereCount = 2, Seed = 3 });
        var c = r.Centres;
        float rad = r.Radii[0];
        // Centre of sphere 0 in action units, then a point just inside and just outside along the diagonal.
        float ax = (c[0] + 1f) / 2f * 4f, ay = c[1] * 10f;
        Assert.That(r.IsValid([ax, ay]), Is.True);
        float step = rad / MathF.Sqrt(2f);
        bool insideOk = r.IsValid([ax + 0.99f * step * 2f, ay + 0.99f * step * 10f]);
        Assert.That(insideOk, Is.True);
        var far = new float[] { ax + 1.01f * step * 2f, ay + 1.01f * step * 10f };
        double dx = c[2] - ((far[0] / 4.0) * 2 - 1), dy = c[3] - far[1] / 10.0;
        bool inSecond = Math.Sqrt(dx * dx + dy * dy) <= r.Radii[1];
        Assert.That(r.IsValid(far), Is.EqualTo(inSecond));
    }

    [Test]
    public void SameSeedSameSpheresAndUnrestrictedAcceptsEverything()
    {
        using var a = new Pendulum(new PendulumOptions { Restriction = Restriction });
        using var b = new Pendulum(new PendulumOptions { Restriction = Restriction });
        Assert.That(a.Restriction!.Centres.ToArray(), Is.EqualTo(b.Restriction!.Centres.ToArray()));
        using var free = new Pendulum();
        Assert.That(free.Restriction, Is.Null);
        Assert.That(free.IsValidAction([1.234f]), Is.True);
        Assert.That(a.Id, Is.EqualTo("RestrictedPendulum-v1"));
        Assert.That(free.Id, Is.EqualTo("Pendulum-v1"));
    }

    [Test]
    public void RestrictedPendulumInvalidActionHasZeroTorqueEffect()
    {
        using var restricted = new Pendulum(new PendulumOptions { Restriction = Restriction });
        using var free = new Pendulum();
        var start = new PendulumState(1.0, 0.5);
        float invalid = Find(restricted, valid: false, -2f, 2f);
        float valid = Find(restricted, valid: true, -2f, 2f);

        restricted.Reset(seed: 0); restricted.State = start;
        free.Reset(seed: 0); free.State = start;
        var r = restricted.Step([invalid]);
        var expectedReward = free.Step([0f]).Reward;
        Assert.That(restricted.State, Is.EqualTo(free.State));
        Assert.That(r.Reward, Is.EqualTo(expectedReward));
        Assert.That(r.Info["action_valid"], Is.EqualTo(false));

        restricted.State = start; free.State = start;
        var rv = restricted.Step([valid]);
        free.Step([valid]);
        Assert.That(restricted.State, Is.EqualTo(free.State));
        Assert.That(rv.Info["action_valid"], Is.EqualTo(true));
    }

    [Test]
    public void RestrictedPendulumMinusOneVariant()
    {
        var options = new PendulumOptions { Restriction = Restriction with { InvalidActionEffect = InvalidActionEffect.MinusOne } };
        using var restricted = new Pendulum(options);
        using var free = new Pendulum();
        float invalid = Find(restricted, valid: false, -2f, 2f);
        restricted.Reset(seed: 0); free.Reset(seed: 0);
        restricted.State = free.State = new PendulumState(-0.4, 1.0);
        restricted.Step([invalid]);
        free.Step([-1f]);
        Assert.That(restricted.State, Is.EqualTo(free.State));
    }

    [Test]
    public void RestrictedCartPoleInvalidForceBecomesMinusOneByDefaultViaCatalog()
    {
        var catalog = StandardEnvironments.CreateCatalog();
        using var wrapped = catalog.Make("RestrictedCartPoleContinuous-v1");
        var restricted = (CartPoleContinuous)((RLKit.Environments.Wrappers.Wrapper)wrapped).Unwrapped;
        Assert.That(restricted.Restriction!.Options.InvalidActionEffect, Is.EqualTo(InvalidActionEffect.MinusOne));
        using var free = new CartPoleContinuous();
        var start = new CartPoleState(0.1, 0.0, 0.02, 0.0);
        float invalid = Find(restricted, valid: false, -1f, 1f);
        float valid = Find(restricted, valid: true, -1f, 1f);

        wrapped.Reset(seed: 0); free.Reset(seed: 0);
        restricted.State = start; free.State = start;
        var result = wrapped.Step([invalid]);
        free.Step([-1f]);
        Assert.That(restricted.State, Is.EqualTo(free.State));
        Assert.That(result.Info["action_valid"], Is.EqualTo(false));

        restricted.State = start; free.State = start;
        Assert.That(wrapped.Step([valid]).Info["action_valid"], Is.EqualTo(true));
        free.Step([valid]);
        Assert.That(restricted.State, Is.EqualTo(free.State));
    }

    [Test]
    public void ContinuousCartPoleUsesTheSharedDynamicsScaledByForce()
    {
        using var env = new CartPoleContinuous();
        env.Reset(seed: 0);
        var s = (0.0, 0.0, 0.01, 0.0);
        env.State = new CartPoleState(s.Item1, s.Item2, s.Item3, s.Item4);
        // Full push right equals the discrete action 1; clipped actions too.
        env.Step([1.7f]);
        CartPoleTests.AssertClose(env.State, CartPoleTests.ReferenceStep(s, 1));
        env.State = new CartPoleState(s.Item1, s.Item2, s.Item3, s.Item4);
        env.Step([0f]);
        Assert.That(env.State.XDot, Is.Not.EqualTo(0.0).And.Not.EqualTo(CartPoleTests.ReferenceStep(s, 1).XDot));
        env.State = new CartPoleState(0, 0, 0.5, 0);
        var r = env.Step([0f]);
        Assert.That((r.Terminated, r.Reward), Is.EqualTo((true, 1.0)));
        Assert.That(env.Id, Is.EqualTo("CartPoleContinuous-v1"));
    }

    [Test]
    public void ContinuousCartPoleZeroVariantAppliesNoForce()
    {
        using var restricted = new CartPoleContinuous(new CartPoleContinuousOptions { Restriction = Restriction });
        using var free = new CartPoleContinuous();
        float invalid = Find(restricted, valid: false, -1f, 1f);
        restricted.Reset(seed: 0); free.Reset(seed: 0);
        restricted.State = free.State = new CartPoleState(0, 0.3, 0.05, 0);
        restricted.Step([invalid]);
        free.Step([0f]);
        Assert.That(restricted.State, Is.EqualTo(free.State));
    }

    [Test]
    public void NaNActionIsRejectedByName()
    {
        using var env = new CartPoleContinuous(new CartPoleContinuousOptions { Restriction = Restriction });
        env.Reset(seed: 0);
        var ex = Assert.Throws<ArgumentException>(() => env.Step([float.NaN]));
        Assert.That(ex!.Message, Does.Contain("RestrictedCartPoleContinuous-v1"));
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => new Pendulum(new PendulumOptions { Restriction = new() { SphereCount = 0 } }));
        Assert.That(bad!.ParamName, Is.EqualTo("SphereCount"));
        bad = Assert.Throws<ArgumentOutOfRangeException>(() => new CartPoleContinuous(new CartPoleContinuousOptions { Restriction = new() { MinRadius = 0.5, MaxRadius = 0.2 } }));
        Assert.That(bad!.ParamName, Is.EqualTo("MaxRadius"));
    }
}
