using RLKit.Autograd;
using RLKit.Tensors;

namespace RLKit.Algorithms.Savo;

/// <summary>
/// The "evolutionary actor (CEM)" baseline of seed 003 §4.6.1, as QT-Opt uses it (Kalashnikov et al. 2018): no actor
/// network; for every state a Gaussian over the action box (starting at its centre with the half-range as σ) is
/// refitted for <see cref="SavoOptions.CemIterations"/> rounds to the <see cref="SavoOptions.CemElites"/> best of
/// <see cref="SavoOptions.CemPopulation"/> samples scored by Q1. The action is the best sample of the last round
/// (projected onto a real action in the discrete mode, as every sample is before it is scored).
/// </summary>
internal sealed class CemActor : ActorNetwork
{
    public CemActor(ActionDomain domain, int population, int elites, int iterations) : base(domain)
    {
        Population = population;
        Elites = elites;
        Iterations = iterations;
    }

    public int Population { get; }
    public int Elites { get; }
    public int Iterations { get; }

    /// <inheritdoc/>
    public override int CandidateCount => 1;

    /// <inheritdoc/>
    public override IEnumerable<Tensor> ActorParameters() => [];

    /// <inheritdoc/>
    public override Tensor Candidates(CandidateRequest request)
    {
        using var noGrad = GradMode.NoGrad();
        var s = request.Observations;
        int batch = s.Dim(0), d = Domain.Size;
        var mean = new float[batch * d];
        var std = new float[batch * d];
        var centre = Domain.Rescaler.Bias.AsReadOnlySpan();
        var halfRange = Domain.Rescaler.Scale.AsReadOnlySpan();
        for (int i = 0; i < mean.Length; i++)
        {
            mean[i] = centre[i % d];
            std[i] = halfRange[i % d];
        }
        var best = new float[batch * d];
        var order = new int[Population];
        var keys = new float[Population];
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            using var scope = TensorScope.Begin();
            var samples = Tensor.RandomNormal(request.Random, [Population, batch, d]) * Tensor.FromArray(std, batch, d) + Tensor.FromArray(mean, batch, d);
            samples = Domain.Project(samples, batch, request.Availability.Span);
            var values = Maximizer.Values(request.Critic, s, samples).AsReadOnlySpan();
            var x = samples.AsReadOnlySpan();
            for (int b = 0; b < batch; b++)
            {
                for (int p = 0; p < Population; p++)
                {
                    order[p] = p;
                    keys[p] = -values[p * batch + b]; // ascending keys: best first
                }
                Array.Sort(keys, order);
                for (int j = 0; j < d; j++)
                {
                    double sum = 0, square = 0;
                    for (int e = 0; e < Elites; e++)
                    {
                        double v = x[(order[e] * batch + b) * d + j];
                        sum += v;
                        square += v * v;
                    }
                    double m = sum / Elites;
                    mean[b * d + j] = (float)m;
                    std[b * d + j] = (float)Math.Sqrt(Math.Max(square / Elites - m * m, 0));
                    best[b * d + j] = x[(order[0] * batch + b) * d + j];
                }
            }
        }
        return Finish(Tensor.FromArray(best, 1, batch, d), request);
    }

    /// <inheritdoc/>
    public override Tensor? ActorLoss(UpdateInputs inputs) => null;

    /// <inheritdoc/>
    public override ActorNetwork CloneAsTarget(RandomGenerator rng) => new CemActor(Domain, Population, Elites, Iterations);
}
