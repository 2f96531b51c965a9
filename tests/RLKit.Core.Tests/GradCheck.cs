using RLKit.Tensors;

namespace RLKit.Core.Tests;

/// <summary>
/// Central finite-difference gradient check. The output is reduced to a scalar with a fixed random
/// projection, L = Σ w ⊙ f(x), accumulated in double; each input element is perturbed by ±h and the
/// central difference is compared with the analytic gradient from Backward().
/// </summary>
internal static class GradCheck
{
    /// <summary>
    /// Checks d/dx of <paramref name="f"/> for every input that requires gradients.
    /// Tolerance: |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|), which float32 with
    /// h = 1e-2 honestly supports for smooth ops of O(1) inputs.
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double h = 1e-2, double rtol = 2e-2, double atol = 2e-3, int seed = 12345)
    {
        foreach (var x in inputs) x.Grad = null;
        var output = f(inputs);
        var rng = new RandomGenerator(seed);
        var w = new float[output.Size];
        for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() * 2 - 1);

        // Analytic: backward with the projection as the output gradient.
        output.Backward(Tensor.FromArray(w).Reshape(output.ShapeArray()));

        for (int inputIndex = 0; inputIndex < inputs.Length; inputIndex++)
        {
            var x = inputs[inputIndex];
            if (!x.RequiresGrad) continue;
            Assert.That(x.Grad, Is.Not.Null, $"input {inputIndex} received no gradient");
            var analytic = x.Grad!.ToArray();
            var data = x.AsSpan();
            for (int i = 0; i < x.Size; i++)
            {
                float original = data[i];
                data[i] = (float)(original + h);
                double plus = Project(f, inputs, w);
                data = x.AsSpan();
                data[i] = (float)(original - h);
                double minus = Project(f, inputs, w);
                data = x.AsSpan();
                data[i] = original;
                double numeric = (plus - minus) / (2 * h);
                double diff = Math.Abs(analytic[i] - numeric);
                double bound = atol + rtol * Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric));
                if (diff > bound)
                    Assert.Fail($"gradient mismatch for input {inputIndex} (shape {Tensor.ShapeString(x.Shape)}) at flat index {i}: analytic {analytic[i]:G6}, numeric {numeric:G6}");
            }
        }
    }

    private static double Project(Func<Tensor[], Tensor> f, Tensor[] inputs, float[] w)
    {
        using var noGrad = RLKit.Autograd.GradMode.NoGrad();
        var y = f(inputs).AsReadOnlySpan();
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += (double)w[i] * y[i];
        return sum;
    }

    /// <summary>A fresh random leaf that requires gradients.</summary>
    public static Tensor Input(RandomGenerator rng, int[] shape, float low = -1f, float high = 1f)
    {
        var t = Tensor.RandomUniform(rng, shape, low, high);
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>A random leaf whose entries stay at least <paramref name="margin"/> away from zero (for abs, relu and friends).</summary>
    public static Tensor AwayFromZero(RandomGenerator rng, int[] shape, float margin = 0.1f)
    {
        var t = Tensor.RandomUniform(rng, shape, margin, 1f);
        var span = t.AsSpan();
        for (int i = 0; i < span.Length; i++) if (rng.NextDouble() < 0.5) span[i] = -span[i];
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>
    /// The random inputs of a gradient check. CI must give the same verdict on every run, so by default the seed is
    /// a stable hash of the test's name. Set <c>RLKIT_GRADCHECK_SEED</c> to a number to replay a seed, or to
    /// <c>random</c> to draw fresh inputs on every run when hunting for fragile checks. The seed is always printed.
    /// </summary>
    public static RandomGenerator TestRng()
    {
        string? requested = Environment.GetEnvironmentVariable("RLKIT_GRADCHECK_SEED");
        ulong seed = requested switch
        {
            null or "" => StableHash(TestContext.CurrentContext.Test.FullName),
            "random" => (ulong)Environment.TickCount64 ^ StableHash(TestContext.CurrentContext.Test.FullName),
            _ => ulong.Parse(requested, System.Globalization.CultureInfo.InvariantCulture),
        };
        TestContext.Out.WriteLine($"GradCheck seed: {seed}");
        return new RandomGenerator(seed);
    }

    // FNV-1a: string.GetHashCode is randomised per process, which would make the default seed differ between runs.
    private static ulong StableHash(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }
}
