using System.Globalization;
using NUnit.Framework;
using Orleans.TestingHost;
using RLKit.Algorithms.Ppo;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Onnx;
using RLKit.Training;

namespace RLKit.Snippets;

/// <summary>
/// What a snippet that continues an earlier one starts from (an agent, environments, files), built here so the
/// snippet file holds only the documented lines and the checks after them.
/// </summary>
internal static class Given
{
    /// <summary>Eight CartPole-v1 environments, not yet reset.</summary>
    public static SyncVectorEnvironment CartPoleEnvironments(int count = 8)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        return new SyncVectorEnvironment(Enumerable.Range(0, count).Select(_ => catalog.Make("CartPole-v1")).ToList(), AutoresetMode.SameStep);
    }

    /// <summary>Pendulum-v1 environments for the continuous-action snippets.</summary>
    public static SyncVectorEnvironment PendulumEnvironments(int count = 1)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        return new SyncVectorEnvironment(Enumerable.Range(0, count).Select(_ => catalog.Make("Pendulum-v1")).ToList(), AutoresetMode.SameStep);
    }

    /// <summary>A PPO agent briefly trained on CartPole-v1.</summary>
    public static PpoAgent CartPoleAgent()
    {
        using var envs = CartPoleEnvironments();
        return new PpoEstimator(PpoOptions.CartPole with { Seed = 1 }).Fit(envs, Budget.Steps(1_024));
    }

    /// <summary><paramref name="rows"/> CartPole observations visited by a random policy, flattened row by row.</summary>
    public static float[] CartPoleObservations(int rows)
    {
        using var env = StandardEnvironments.CreateCatalog().Make("CartPole-v1");
        var rng = new Random(1);
        var observations = new float[rows * 4];
        env.Reset(seed: 1).Observation.CopyTo(observations.AsSpan(0, 4));
        for (int row = 1; row < rows; row++)
        {
            var step = env.Step(rng.Next(2));
            (step.Done ? env.Reset().Observation : step.Observation).CopyTo(observations.AsSpan(row * 4, 4));
        }
        return observations;
    }

    /// <summary>A CartPole agent exported to <paramref name="path"/>.</summary>
    public static void CartPoleOnnxModel(string path) => OnnxExporter.Export(CartPoleAgent(), path);

    /// <summary>A CSV file of CartPole observations with a header line, as a log of served requests might be.</summary>
    public static void LoggedCartPoleObservations(string path, int rows)
    {
        float[] observations = CartPoleObservations(rows);
        var lines = new List<string> { "x,x_dot,theta,theta_dot" };
        for (int row = 0; row < rows; row++)
            lines.Add(string.Join(',', observations.Skip(row * 4).Take(4).Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        File.WriteAllLines(path, lines);
    }

    /// <summary>Fails the snippet's test with <paramref name="expectation"/> unless <paramref name="condition"/> holds.</summary>
    public static void Check(bool condition, string expectation) => Assert.That(condition, expectation);

    /// <summary>An in-process Orleans cluster of <paramref name="silos"/> silos (in-memory transport), each configured by <paramref name="configure"/>.</summary>
    public static async Task<InProcessTestCluster> InProcessClusterAsync(short silos, Action<ISiloBuilder> configure)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => configure(silo));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
