using RLKit.Training.Evaluation;

namespace RLKit.Distributed.Evaluation;

/// <summary>The result of <see cref="RLKitCluster.EvaluateAsync"/>: one report per seed, in the order the seeds were given.</summary>
/// <param name="Seeds">The seeds.</param>
/// <param name="Reports">Each seed's report: the same numbers as <c>Evaluator.Evaluate(agent, env, episodes, deterministic, seed: seed)</c> locally.</param>
public sealed record DistributedEvaluation(IReadOnlyList<ulong> Seeds, IReadOnlyList<EvaluationReport> Reports)
{
    /// <summary>The mean return over every episode of every seed.</summary>
    public double MeanReturn => Reports.SelectMany(r => r.Returns).Average();

    /// <summary>The population standard deviation of the per-seed mean returns (the spread across seeds).</summary>
    public double StdAcrossSeeds
    {
        get
        {
            double mean = Reports.Average(r => r.MeanReturn);
            return Math.Sqrt(Reports.Average(r => (r.MeanReturn - mean) * (r.MeanReturn - mean)));
        }
    }
}
