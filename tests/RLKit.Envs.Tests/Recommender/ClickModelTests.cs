using RLKit.Envs.Recommender;

namespace RLKit.Envs.Tests.Recommender;

public class ClickModelTests
{
    [Test]
    public void ProbabilitiesSumToOneWithTheNoClickMass()
    {
        float[] scores = [0.3f, -1.2f, 5f, 2.5f, 0f, 1f];
        var p = new float[7];
        ClickModel.ChoiceProbabilities(scores, 4f, p);
        Assert.That(p.Sum(), Is.EqualTo(1f).Within(1e-6f));
        double denominator = scores.Sum(s => Math.Exp(s)) + Math.Exp(4);
        for (int i = 0; i < scores.Length; i++)
            Assert.That(p[i], Is.EqualTo(Math.Exp(scores[i]) / denominator).Within(1e-6));
        Assert.That(p[6], Is.EqualTo(Math.Exp(4) / denominator).Within(1e-6));
    }

    [Test]
    public void ZeroScoresLeaveTheNoClickMassDominant()
    {
        var p = new float[7];
        ClickModel.ChoiceProbabilities(new float[6], 4f, p);
        Assert.That(p[6], Is.EqualTo(Math.Exp(4) / (6 + Math.Exp(4))).Within(1e-6));
    }

    [Test]
    public void LargeScoresDoNotOverflow()
    {
        var p = new float[3];
        ClickModel.ChoiceProbabilities([1000f, 999f], 4f, p);
        Assert.That(p.All(float.IsFinite), Is.True);
        Assert.That(p.Sum(), Is.EqualTo(1f).Within(1e-6f));
        Assert.That(p[0], Is.GreaterThan(p[1]));
    }

    [Test]
    public void WrongDestinationLengthThrows()
    {
        var ex = Assert.Throws<ArgumentException>(() => ClickModel.ChoiceProbabilities([1f, 2f], 4f, new float[2]));
        Assert.That(ex!.Message, Does.Contain("no-click"));
    }
}
