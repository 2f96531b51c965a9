using RLKit.Data;

namespace RLKit.Core.Tests.Data;

/// <summary>GAE and n-step returns against values computed by hand, including terminated and truncated episodes.</summary>
public class ReturnsTests
{
    private const float Gamma = 0.9f;
    private const float Lambda = 0.8f; // γλ = 0.72

    // A 5-step, 2-env rollout stored [steps, envs] (index t·2 + e).
    // env 0 terminates at t = 2, a new episode runs t = 3..4 and bootstraps from lastValues[0] = 4.
    // env 1 is truncated at t = 1 with V(final obs) = 5, a new episode runs t = 2..4 and bootstraps from lastValues[1] = −1.
    //                                      t=0        t=1        t=2        t=3        t=4
    private static readonly float[] Rewards = [1f, 0f, 2f, 1f, 3f, 1f, 0f, 2f, 1f, 0f];
    private static readonly float[] Values = [1f, 1f, 2f, 1f, 1f, 3f, 0f, 1f, 2f, 2f];
    private static readonly bool[] Terminated = [false, false, false, false, true, false, false, false, false, false];
    private static readonly bool[] Truncated = [false, false, false, true, false, false, false, false, false, false];
    private static readonly float[] LastValues = [4f, -1f];

    // Only index 3 (t = 1, env 1, truncated) is meaningful; the 100s, including the one at the terminated step
    // (index 4), must be ignored.
    private static float[] FinalValues(float truncatedFinalValue = 5f, float elsewhere = 100f)
    {
        var v = new float[10];
        Array.Fill(v, elsewhere);
        v[3] = truncatedFinalValue;
        return v;
    }

    private static (float[] Advantages, float[] Returns) RunGae(float[] finalValues, bool[]? terminated = null)
    {
        var advantages = new float[10];
        var returns = new float[10];
        Returns.Gae(Rewards, Values, terminated ?? Terminated, Truncated, finalValues, LastValues, Gamma, Lambda, advantages, returns);
        return (advantages, returns);
    }

    [Test]
    public void GaeMatchesHandComputedValues()
    {
        // env 0:
        //  t=4: δ = 1 + 0.9·4 − 2 = 2.6                   A = 2.6
        //  t=3: δ = 0 + 0.9·2 − 0 = 1.8                   A = 1.8 + 0.72·2.6  = 3.672
        //  t=2 (terminated): δ = 3 − 1 = 2                A = 2
        //  t=1: δ = 2 + 0.9·1 − 2 = 0.9                   A = 0.9 + 0.72·2    = 2.34
        //  t=0: δ = 1 + 0.9·2 − 1 = 1.8                   A = 1.8 + 0.72·2.34 = 3.4848
        // env 1:
        //  t=4: δ = 0 + 0.9·(−1) − 2 = −2.9               A = −2.9
        //  t=3: δ = 2 + 0.9·2 − 1 = 2.8                   A = 2.8 − 0.72·2.9  = 0.712
        //  t=2: δ = 1 + 0.9·1 − 3 = −1.1                  A = −1.1 + 0.72·0.712 = −0.58736
        //  t=1 (truncated): δ = 1 + 0.9·5 − 1 = 4.5       A = 4.5
        //  t=0: δ = 0 + 0.9·1 − 1 = −0.1                  A = −0.1 + 0.72·4.5 = 3.14
        float[] expectedAdvantages = [3.4848f, 3.14f, 2.34f, 4.5f, 2f, -0.58736f, 3.672f, 0.712f, 2.6f, -2.9f];
        float[] expectedReturns = [4.4848f, 4.14f, 4.34f, 5.5f, 3f, 2.41264f, 3.672f, 1.712f, 4.6f, -0.9f];

        var (advantages, returns) = RunGae(FinalValues());

        Assert.That(advantages, Is.EqualTo(expectedAdvantages).Within(1e-5f));
        Assert.That(returns, Is.EqualTo(expectedReturns).Within(1e-5f));
    }

    [Test]
    public void TruncationBootstrapsFromTheFinalObservationsValue()
    {
        var (baseline, _) = RunGae(FinalValues(truncatedFinalValue: 5f));
        var (raised, _) = RunGae(FinalValues(truncatedFinalValue: 7f));

        // Raising V(final obs) by 2 raises δ at the truncated step by γ·2 = 1.8 and, through the recursion, the
        // earlier step of the same episode by γλ·1.8 = 1.296. Nothing else moves.
        float[] expectedChange = [0f, 1.296f, 0f, 1.8f, 0f, 0f, 0f, 0f, 0f, 0f];
        var change = baseline.Zip(raised, (a, b) => b - a).ToArray();
        Assert.That(change, Is.EqualTo(expectedChange).Within(1e-5f));
    }

    [Test]
    public void TerminatedStepIgnoresTheFinalObservationsValue()
    {
        var (baseline, _) = RunGae(FinalValues(elsewhere: 100f));
        var (changed, _) = RunGae(FinalValues(elsewhere: -50f));
        Assert.That(changed, Is.EqualTo(baseline), "final values at terminated or ongoing steps must not be read");

        // A step flagged both terminated and truncated is terminal: its final value is ignored as well.
        var both = (bool[])Terminated.Clone();
        both[3] = true;
        var (withFive, _) = RunGae(FinalValues(truncatedFinalValue: 5f), both);
        var (withSeven, _) = RunGae(FinalValues(truncatedFinalValue: 7f), both);
        Assert.That(withSeven, Is.EqualTo(withFive));
        Assert.That(withFive[3], Is.EqualTo(1f - 1f).Within(1e-6f), "δ = r − V at a terminal step");
    }

    [Test]
    public void GaeRejectsWrongSizesByName()
    {
        var ok = new float[10];
        var ex = Assert.Throws<ArgumentException>(() =>
            Returns.Gae(Rewards, new float[9], Terminated, Truncated, FinalValues(), LastValues, Gamma, Lambda, ok, new float[10]));
        Assert.That(ex!.ParamName, Is.EqualTo("values"));
        ex = Assert.Throws<ArgumentException>(() =>
            Returns.Gae(Rewards, Values, Terminated, Truncated, new float[4], LastValues, Gamma, Lambda, ok, new float[10]));
        Assert.That(ex!.ParamName, Is.EqualTo("finalValues"));
        ex = Assert.Throws<ArgumentException>(() =>
            Returns.Gae(Rewards, Values, Terminated, Truncated, FinalValues(), new float[3], Gamma, Lambda, ok, new float[10]));
        Assert.That(ex!.ParamName, Is.EqualTo("rewards"), "10 rewards are not a whole number of steps of 3 envs");
        var range = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Returns.Gae(Rewards, Values, Terminated, Truncated, FinalValues(), LastValues, Gamma, 1.5f, ok, new float[10]));
        Assert.That(range!.ParamName, Is.EqualTo("lambda"));
    }

    [Test]
    public void NStepCutsAtEpisodeEndsAndDataEnd()
    {
        // γ = 0.5, n = 3. Transition 2 terminates, transition 4 is truncated, transition 5 is the last one stored.
        float[] rewards = [1f, 2f, 3f, 4f, 5f, 6f];
        bool[] terminated = [false, false, true, false, false, false];
        bool[] truncated = [false, false, false, false, true, false];
        var sums = new float[6];
        var discounts = new float[6];
        var last = new int[6];

        Returns.NStep(rewards, terminated, truncated, n: 3, gamma: 0.5f, sums, discounts, last);

        // t=0: 1 + 0.5·2 + 0.25·3 = 2.75 (m=3, ends at the terminal 2)   t=1: 2 + 0.5·3 = 3.5 (m=2)   t=2: 3 (m=1)
        // t=3: 4 + 0.5·5 = 6.5 (m=2, cut at the truncation, bootstraps from 4's final observation)
        // t=4: 5 (m=1)   t=5: 6 (m=1, no more data)
        Assert.That(sums, Is.EqualTo(new[] { 2.75f, 3.5f, 3f, 6.5f, 5f, 6f }));
        Assert.That(discounts, Is.EqualTo(new[] { 0.125f, 0.25f, 0.5f, 0.25f, 0.5f, 0.5f }));
        Assert.That(last, Is.EqualTo(new[] { 2, 2, 2, 4, 4, 5 }));
    }

    [Test]
    public void NStepWithNOneIsTheOneStepTransition()
    {
        float[] rewards = [1f, 2f, 3f];
        var sums = new float[3];
        var discounts = new float[3];
        var last = new int[3];
        Returns.NStep(rewards, new bool[3], new bool[3], n: 1, gamma: 0.9f, sums, discounts, last);
        Assert.That(sums, Is.EqualTo(rewards));
        Assert.That(discounts, Is.All.EqualTo(0.9f));
        Assert.That(last, Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public void NStepRejectsBadArgumentsByName()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Returns.NStep(new float[3], new bool[2], new bool[3], 2, 0.9f, new float[3], new float[3], new int[3]));
        Assert.That(ex!.ParamName, Is.EqualTo("terminated"));
        var range = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Returns.NStep(new float[3], new bool[3], new bool[3], 0, 0.9f, new float[3], new float[3], new int[3]));
        Assert.That(range!.ParamName, Is.EqualTo("n"));
    }
}
