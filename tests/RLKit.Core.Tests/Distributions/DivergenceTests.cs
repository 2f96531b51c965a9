using RLKit.Distributions;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Distributions;

/// <summary>Mix &amp; Mask divergences between diagonal Gaussians (seed 000, eqs. 7–9).</summary>
public class DivergenceTests
{
    private static DiagGaussian Gaussian(float[] mean, float[] logStd, int batch) =>
        new(Tensor.FromArray(mean, batch, mean.Length / batch), Tensor.FromArray(logStd, batch, logStd.Length / batch));

    [Test]
    public void JDivergenceIsHalfTheSymmetrisedKl()
    {
        var rng = GradCheck.TestRng();
        var p = new DiagGaussian(Tensor.RandomNormal(rng, [3, 4]), Tensor.RandomUniform(rng, [3, 4], -1f, 1f));
        var q = new DiagGaussian(Tensor.RandomNormal(rng, [3, 4]), Tensor.RandomUniform(rng, [3, 4], -1f, 1f));
        var j = Divergences.JDivergence(p, q).ToArray();
        var forward = Kl.Divergence(p, q).ToArray();
        var backward = Kl.Divergence(q, p).ToArray();
        for (int b = 0; b < 3; b++)
            Assert.That(j[b], Is.EqualTo(0.5 * (forward[b] + backward[b])).Within(1e-4 * Math.Max(1, Math.Abs(j[b]))));
        Assert.That(Divergences.JDivergence(q, p).ToArray(), Is.EqualTo(j).Within(1e-5));
    }

    [Test]
    public void DivergencesVanishForEqualDistributionsAndAreSymmetric()
    {
        var p = Gaussian([0.3f, -1f], [0.2f, -0.4f], 1);
        var q = Gaussian([1.3f, 0f], [-0.2f, 0.4f], 1);
        foreach (MixtureApproximation m in Enum.GetValues<MixtureApproximation>())
        {
            if (m == MixtureApproximation.MomentMatched)
            {
                Assert.That(Divergences.InformationRadius(p, p, m).Item(), Is.EqualTo(0f).Within(1e-6));
                Assert.That(Divergences.ArithmeticGeometric(p, p, m).Item(), Is.EqualTo(0f).Within(1e-6));
            }
            Assert.That(Divergences.InformationRadius(p, q, m).Item(), Is.EqualTo(Divergences.InformationRadius(q, p, m).Item()).Within(1e-6));
            Assert.That(Divergences.ArithmeticGeometric(p, q, m).Item(), Is.EqualTo(Divergences.ArithmeticGeometric(q, p, m).Item()).Within(1e-6));
            Assert.That(Divergences.InformationRadius(p, q, m).Item(), Is.GreaterThan(0f));
        }
        Assert.That(Divergences.JDivergence(p, p).Item(), Is.EqualTo(0f).Within(1e-6));
    }

    [Test]
    public void MomentMatchedInformationRadiusApproximatesTheExactJensenShannon()
    {
        // 1-D, nearby P and Q: exact JS by quadrature in double vs the closed-form approximation.
        const double mp = 0.0, sp = 1.0, mq = 0.4, sq = 1.2;
        double Density(double x, double m, double s) => Math.Exp(-0.5 * Math.Pow((x - m) / s, 2)) / (s * Math.Sqrt(2 * Math.PI));
        double exact = 0, step = 1e-3;
        for (double x = -12; x <= 12; x += step)
        {
            double p = Density(x, mp, sp), q = Density(x, mq, sq), m = 0.5 * (p + q);
            exact += 0.5 * step * (p * Math.Log(p / m) + q * Math.Log(q / m));
        }
        var pd = Gaussian([(float)mp], [(float)Math.Log(sp)], 1);
        var qd = Gaussian([(float)mq], [(float)Math.Log(sq)], 1);
        double approx = Divergences.InformationRadius(pd, qd).Item();
        Assert.That(approx, Is.EqualTo(exact).Within(0.1 * exact));
    }

    [Test]
    public void MomentMatchedArithmeticGeometricApproximatesTheExactDivergence()
    {
        // 1-D, nearby P and Q: exact AG = ½(K(M‖P) + K(M‖Q)) with M the true mixture, by quadrature in double,
        // vs the closed form with M moment matched (diagonal and full-covariance overloads).
        const double mp = 0.0, sp = 1.0, mq = 0.4, sq = 1.2;
        double Density(double x, double m, double s) => Math.Exp(-0.5 * Math.Pow((x - m) / s, 2)) / (s * Math.Sqrt(2 * Math.PI));
        double exact = 0, step = 1e-3;
        for (double x = -12; x <= 12; x += step)
        {
            double p = Density(x, mp, sp), q = Density(x, mq, sq), m = 0.5 * (p + q);
            exact += 0.5 * step * (m * Math.Log(m / p) + m * Math.Log(m / q));
        }
        var pd = Gaussian([(float)mp], [(float)Math.Log(sp)], 1);
        var qd = Gaussian([(float)mq], [(float)Math.Log(sq)], 1);
        double approx = Divergences.ArithmeticGeometric(pd, qd).Item();
        Assert.That(approx, Is.EqualTo(exact).Within(0.1 * exact));

        var pf = new MultivariateGaussian(Tensor.FromArray([(float)mp]), Tensor.FromArray([(float)sp], 1, 1));
        var qf = new MultivariateGaussian(Tensor.FromArray([(float)mq]), Tensor.FromArray([(float)sq], 1, 1));
        Assert.That((double)Divergences.ArithmeticGeometric(pf, qf).Item(), Is.EqualTo(exact).Within(0.1 * exact));
        Assert.That((double)Divergences.InformationRadius(pf, qf).Item(), Is.EqualTo(Divergences.InformationRadius(pd, qd).Item()).Within(1e-5));
    }

    [Test]
    public void AverageOfVariablesMatchesTheReferenceCodeFormula()
    {
        // M = N((μp + μq)/2, (σp² + σq²)/4); IR = ½(KL(P‖M) + KL(Q‖M)), AG = ½(KL(M‖P) + KL(M‖Q)).
        const double mp = 0.5, sp = 0.8, mq = -0.5, sq = 1.5;
        double mm = 0.5 * (mp + mq), sm = Math.Sqrt((sp * sp + sq * sq) / 4);
        static double KlNormal(double m1, double s1, double m2, double s2) =>
            Math.Log(s2 / s1) + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2 * s2 * s2) - 0.5;
        var p = Gaussian([(float)mp], [(float)Math.Log(sp)], 1);
        var q = Gaussian([(float)mq], [(float)Math.Log(sq)], 1);
        Assert.That(Divergences.InformationRadius(p, q, MixtureApproximation.AverageOfVariables).Item(),
            Is.EqualTo(0.5 * (KlNormal(mp, sp, mm, sm) + KlNormal(mq, sq, mm, sm))).Within(1e-5));
        Assert.That(Divergences.ArithmeticGeometric(p, q, MixtureApproximation.AverageOfVariables).Item(),
            Is.EqualTo(0.5 * (KlNormal(mm, sm, mp, sp) + KlNormal(mm, sm, mq, sq))).Within(1e-5));

        double smMoment = Math.Sqrt((sp * sp + sq * sq) / 2 + (mp - mq) * (mp - mq) / 4);
        Assert.That(Divergences.ArithmeticGeometric(p, q).Item(),
            Is.EqualTo(0.5 * (KlNormal(mm, smMoment, mp, sp) + KlNormal(mm, smMoment, mq, sq))).Within(1e-5));
    }

    [Test]
    public void DivergenceGradients([Values(new[] { 1, 1 }, new[] { 2, 3 })] int[] shape)
    {
        var rng = GradCheck.TestRng();
        Tensor[] Inputs() => [GradCheck.Input(rng, shape), GradCheck.Input(rng, shape, -0.5f, 0.5f), GradCheck.Input(rng, shape), GradCheck.Input(rng, shape, -0.5f, 0.5f)];
        GradCheck.Check(x => Divergences.JDivergence(new DiagGaussian(x[0], x[1]), new DiagGaussian(x[2], x[3])), Inputs());
        foreach (MixtureApproximation m in Enum.GetValues<MixtureApproximation>())
        {
            GradCheck.Check(x => Divergences.InformationRadius(new DiagGaussian(x[0], x[1]), new DiagGaussian(x[2], x[3]), m), Inputs());
            GradCheck.Check(x => Divergences.ArithmeticGeometric(new DiagGaussian(x[0], x[1]), new DiagGaussian(x[2], x[3]), m), Inputs());
        }
    }

    [Test]
    public void MismatchedShapesAreRejected()
    {
        var p = Gaussian([0f, 0f], [0f, 0f], 1);
        var q = Gaussian([0f, 0f], [0f, 0f], 2);
        var ex = Assert.Throws<ArgumentException>(() => Divergences.JDivergence(p, q));
        Assert.That(ex!.Message, Does.Contain("[1, 2]").And.Contain("[2, 1]"));
        Assert.Throws<ArgumentException>(() => Kl.Divergence(p, q));
    }
}
