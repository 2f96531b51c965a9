using RLKit.Optim;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Optim;

/// <summary>Each optimizer's update against its written formula (hand numbers and a double-precision re-derivation).</summary>
public class OptimizerFormulaTests
{
    private static Tensor Param(params float[] values)
    {
        var p = Tensor.FromArray(values);
        p.RequiresGrad = true;
        return p;
    }

    private static void SetGrad(Tensor p, params float[] values) => p.Grad = Tensor.FromArray(values);

    [Test]
    public void AdamOneStepMatchesHandComputedValueWithEpsilonAfterTheRoot()
    {
        // θ = 1, g = 0.5, γ = 0.1, ε = 0.1: m̂ = 0.5, v̂ = 0.25, θ ← 1 − 0.1·0.5/(√0.25 + 0.1) = 1 − 0.05/0.6.
        var p = Param(1f, -2f);
        var adam = new Adam([p], learningRate: 0.1f, epsilon: 0.1f);
        SetGrad(p, 0.5f, -0.5f);
        adam.Step();
        Assert.That(p.AsReadOnlySpan()[0], Is.EqualTo(1 - 0.05 / 0.6).Within(1e-6));
        Assert.That(p.AsReadOnlySpan()[1], Is.EqualTo(-2 + 0.05 / 0.6).Within(1e-6));
    }

    [Test]
    public void AdamThreeStepsWithWeightDecayAndAmsgradMatchFormula([Values] bool amsgrad)
    {
        float[] grads = [0.3f, -1.2f, 0.05f];
        const double lr = 0.05, b1 = 0.8, b2 = 0.9, eps = 1e-3, wd = 0.1;
        var p = Param(0.7f);
        var adam = new Adam([p], (float)lr, (float)b1, (float)b2, (float)eps, (float)wd, amsgrad);
        double theta = 0.7, m = 0, v = 0, vMax = 0;
        for (int t = 1; t <= grads.Length; t++)
        {
            SetGrad(p, grads[t - 1]);
            adam.Step();
            double g = grads[t - 1] + wd * theta;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            vMax = Math.Max(vMax, v);
            double vUsed = amsgrad ? vMax : v;
            theta -= lr * (m / (1 - Math.Pow(b1, t))) / (Math.Sqrt(vUsed / (1 - Math.Pow(b2, t))) + eps);
            Assert.That(p.Item(), Is.EqualTo(theta).Within(1e-5), $"step {t}");
        }
    }

    [Test]
    public void AdamWDecaysDecoupledFromTheGradient()
    {
        // θ ← θ(1 − γλ) first, then the plain Adam step: 1·(1 − 0.1·0.1) − 0.1·0.5/(0.5 + 1e-8) = 0.89.
        var p = Param(1f);
        var adamW = new AdamW([p], learningRate: 0.1f, weightDecay: 0.1f);
        SetGrad(p, 0.5f);
        adamW.Step();
        Assert.That(p.Item(), Is.EqualTo(0.89).Within(1e-6));
        Assert.That(new AdamW([Param(1f)]).WeightDecay, Is.EqualTo(1e-2f));

        // Two more steps against the formula.
        double theta = 0.89, m = 0.05, v = 0.00025;
        float[] grads = [-0.2f, 0.7f];
        for (int t = 2; t <= 3; t++)
        {
            SetGrad(p, grads[t - 2]);
            adamW.Step();
            double g = grads[t - 2];
            theta *= 1 - 0.1 * 0.1;
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            theta -= 0.1 * (m / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(v / (1 - Math.Pow(0.999, t))) + 1e-8);
            Assert.That(p.Item(), Is.EqualTo(theta).Within(1e-5), $"step {t}");
        }
    }

    [Test]
    public void RmsPropOneStepMatchesHandComputedValue()
    {
        // s = 0.01·0.25 = 0.0025, √s = 0.05; θ ← 1 − 0.01·0.5/(0.05 + 0.01) = 1 − 1/12.
        var p = Param(1f);
        var rms = new RmsProp([p], learningRate: 0.01f, epsilon: 0.01f);
        SetGrad(p, 0.5f);
        rms.Step();
        Assert.That(p.Item(), Is.EqualTo(1 - 1.0 / 12).Within(1e-6));
        Assert.That(rms.Alpha, Is.EqualTo(0.99f));
    }

    [Test]
    public void RmsPropCenteredWithMomentumAndDecayMatchesFormula([Values] bool centered, [Values(0f, 0.9f)] float momentum)
    {
        float[] grads = [0.4f, -0.1f, 0.9f];
        const double lr = 0.01, alpha = 0.9, eps = 1e-4, wd = 0.05;
        var p = Param(-0.3f);
        var rms = new RmsProp([p], (float)lr, (float)alpha, (float)eps, (float)wd, momentum, centered);
        double theta = -0.3, s = 0, mean = 0, buffer = 0;
        for (int t = 1; t <= grads.Length; t++)
        {
            SetGrad(p, grads[t - 1]);
            rms.Step();
            double g = grads[t - 1] + wd * theta;
            s = alpha * s + (1 - alpha) * g * g;
            mean = alpha * mean + (1 - alpha) * g;
            double d = Math.Sqrt(centered ? s - mean * mean : s) + eps;
            if (momentum > 0) { buffer = momentum * buffer + g / d; theta -= lr * buffer; }
            else theta -= lr * g / d;
            Assert.That(p.Item(), Is.EqualTo(theta).Within(1e-5), $"step {t}");
        }
    }

    [Test]
    public void SgdMomentumTwoStepsMatchFormula()
    {
        // b₁ = g₁ = 1, θ = 0.9; b₂ = 0.9·1 + 2 = 2.9, θ = 0.9 − 0.29 = 0.61.
        var p = Param(1f);
        var sgd = new Sgd([p], learningRate: 0.1f, momentum: 0.9f);
        SetGrad(p, 1f); sgd.Step();
        Assert.That(p.Item(), Is.EqualTo(0.9).Within(1e-6));
        SetGrad(p, 2f); sgd.Step();
        Assert.That(p.Item(), Is.EqualTo(0.61).Within(1e-6));
    }

    [Test]
    public void SgdDampeningOnlyAppliesAfterTheFirstStep()
    {
        // b₁ = 1 (no dampening on the first step), b₂ = 0.9 + 0.5·2 = 1.9: θ = 1 − 0.1 − 0.19 = 0.71.
        var p = Param(1f);
        var sgd = new Sgd([p], learningRate: 0.1f, momentum: 0.9f, dampening: 0.5f);
        SetGrad(p, 1f); sgd.Step();
        SetGrad(p, 2f); sgd.Step();
        Assert.That(p.Item(), Is.EqualTo(0.71).Within(1e-6));
    }

    [Test]
    public void SgdNesterovTwoStepsMatchFormula()
    {
        // step 1: b = 1, g = 1 + 0.9·1 = 1.9, θ = 0.81; step 2: b = 2.9, g = 2 + 0.9·2.9 = 4.61, θ = 0.349.
        var p = Param(1f);
        var sgd = new Sgd([p], learningRate: 0.1f, momentum: 0.9f, nesterov: true);
        SetGrad(p, 1f); sgd.Step();
        Assert.That(p.Item(), Is.EqualTo(0.81).Within(1e-6));
        SetGrad(p, 2f); sgd.Step();
        Assert.That(p.Item(), Is.EqualTo(0.349).Within(1e-6));
    }

    [Test]
    public void SgdWeightDecayAddsL2ToTheGradient()
    {
        var p = Param(2f);
        var sgd = new Sgd([p], learningRate: 0.1f, weightDecay: 0.5f);
        SetGrad(p, 1f); sgd.Step();
        Assert.That(p.Item(), Is.EqualTo(2 - 0.1 * (1 + 0.5 * 2)).Within(1e-6));
    }

    [Test]
    public void RAdamFirstStepsMatchFormula([Values(0.999f, 0.9f)] float beta2, [Values] bool decoupled)
    {
        // With β₂ = 0.999 the first steps are un-rectified (ρₜ ≤ 5): θ ← θ − γ·m̂; with β₂ = 0.9 rectification starts at t = 2... check both branches.
        var p = Param(1f);
        const double lr = 0.1, b1 = 0.9, eps = 1e-8, wd = 0.01;
        var radam = new RAdam([p], (float)lr, (float)b1, beta2, (float)eps, (float)wd, decoupled);
        SetGrad(p, 0.5f);
        radam.Step();
        double g1 = decoupled ? 0.5 : 0.5 + wd;
        double theta1 = (decoupled ? 1 - lr * wd : 1) - lr * g1;  // ρ₁ = 1 ≤ 5: plain momentum step, m̂ = g
        Assert.That(p.Item(), Is.EqualTo(theta1).Within(1e-6));

        double theta = theta1, m = (1 - b1) * g1, v = (1 - beta2) * g1 * g1, b2 = beta2;
        double rhoInf = 2 / (1 - b2) - 1;
        bool sawRectified = false;
        for (int t = 2; t <= 12; t++)
        {
            float grad = (float)Math.Sin(t);
            SetGrad(p, grad);
            radam.Step();
            if (decoupled) theta *= 1 - lr * wd;
            double g = decoupled ? grad : grad + wd * theta;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double bc1 = 1 - Math.Pow(b1, t), bc2 = 1 - Math.Pow(b2, t);
            double rho = rhoInf - 2 * t * Math.Pow(b2, t) / bc2;
            if (rho > 5)
            {
                sawRectified = true;
                double r = Math.Sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
                theta -= lr * (m / bc1) * r * Math.Sqrt(bc2) / (Math.Sqrt(v) + eps);
            }
            else theta -= lr * m / bc1;
            Assert.That(p.Item(), Is.EqualTo(theta).Within(2e-5), $"step {t}");
        }
        Assert.That(sawRectified, Is.True, "the test should reach the rectified branch");
    }

    [Test]
    public void ParametersWithoutGradientAreSkipped()
    {
        var a = Param(1f);
        var b = Param(1f);
        var adam = new Adam([a, b], learningRate: 0.1f);
        SetGrad(a, 1f);
        adam.Step();
        Assert.That(b.Item(), Is.EqualTo(1f));
        Assert.That(adam.StepCount(0), Is.EqualTo(1));
        Assert.That(adam.StepCount(1), Is.EqualTo(0));
        Assert.That(a.Item(), Is.LessThan(1f));
    }

    [Test]
    public void ZeroGradClearsInPlaceOrDrops()
    {
        var a = Param(1f, 2f);
        var sgd = new Sgd([a], learningRate: 0.1f);
        SetGrad(a, 3f, 4f);
        var buffer = a.Grad;
        sgd.ZeroGrad();
        Assert.That(a.Grad, Is.SameAs(buffer));
        Assert.That(a.Grad!.ToArray(), Is.EqualTo(new[] { 0f, 0f }));
        sgd.ZeroGrad(setToNone: true);
        Assert.That(a.Grad, Is.Null);
    }
}
