using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.MixMask;
using RLKit.Algorithms.Ppo;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests.MixMask;

public class SharedFeatureNetworkTests
{
    private const int ObservationSize = 4;
    private const int Width = 16;

    private static SharedFeatureNetwork Network(SharedFeatureOptions options, int seed = 3) =>
        new(ObservationSize, (latent, rng) => PolicyHeads.OnPolicy(new Discrete(2), latent, rng), new RandomGenerator(seed), options with { HiddenSize = Width });

    private static Tensor Observations(int rows = 32, int seed = 7) => Tensor.RandomNormal(new RandomGenerator(seed), [rows, ObservationSize]);

    private static readonly Tensor Zero = Tensor.Scalar(0f);

    // Optimises only the mechanisms' terms (policy, value and entropy losses are zero) through the objective.
    private static void OptimisePenaltyOnly(SharedFeatureNetwork network, Tensor observations, int steps)
    {
        var objective = new SharedFeatureObjective(network);
        var optimizer = new Adam(network.Parameters(), 1e-2f);
        for (int i = 0; i < steps; i++)
        {
            optimizer.ZeroGrad();
            objective.Backward(Zero, Zero, Zero, observations, new Dictionary<string, double>());
            optimizer.Step();
            objective.AfterStep();
        }
    }

    private static double Distance(Tensor? term) => term!.Item();

    [Test]
    public void MixPenaltyRaisesTheMixedRepresentationsCosineSimilarity()
    {
        var network = Network(new SharedFeatureOptions { Mix = Mix.Mlp() with { Temperature = 1f } });
        var observations = Observations();
        double before = Distance(network.Penalties(observations).Mix);
        OptimisePenaltyOnly(network, observations, steps: 30);
        double after = Distance(network.Penalties(observations).Mix);
        // distance = 1 − cos: the similarity S = cos must rise (eq. 6 maximises S; the reference code minimises it).
        Assert.That(after, Is.LessThan(before - 0.01), $"1 − cos went from {before:G4} to {after:G4}");
    }

    [Test]
    public void MaskPenaltyLowersTheMaskedRepresentationsCosineSimilarity()
    {
        var network = Network(new SharedFeatureOptions { Mask = Mask.Mlp() with { Temperature = 1f } });
        var observations = Observations();
        double before = Distance(network.Penalties(observations).Mask);
        OptimisePenaltyOnly(network, observations, steps: 30);
        double after = Distance(network.Penalties(observations).Mask);
        Assert.That(after, Is.GreaterThan(before + 0.01), $"1 − cos went from {before:G4} to {after:G4}");
    }

    [Test]
    public void StochasticPenaltiesFollowTheSameSigns([Values(Similarity.InformationRadius, Similarity.JDivergence, Similarity.ArithmeticGeometric)] Similarity measure)
    {
        var mix = Network(new SharedFeatureOptions { Mix = Mix.Mlp(distribution: FeatureDistribution.DiagonalGaussian) with { Similarity = measure, Temperature = 1f } });
        var mask = Network(new SharedFeatureOptions { Mask = Mask.Mlp(distribution: FeatureDistribution.DiagonalGaussian) with { Similarity = measure, Temperature = 1f } });
        var observations = Observations();
        double mixBefore = Distance(mix.Penalties(observations).Mix), maskBefore = Distance(mask.Penalties(observations).Mask);
        OptimisePenaltyOnly(mix, observations, steps: 20);
        OptimisePenaltyOnly(mask, observations, steps: 20);
        Assert.That(Distance(mix.Penalties(observations).Mix), Is.LessThan(mixBefore), "the mix divergence must fall");
        Assert.That(Distance(mask.Penalties(observations).Mask), Is.GreaterThan(maskBefore), "the mask divergence must rise");
    }

    [TestCase("mix")]
    [TestCase("mask")]
    [TestCase("mixmask")]
    [TestCase("mix-cholesky")]
    [TestCase("mask-contrastive")]
    public void PenaltyGradientsReachOnlyTheMechanisms(string variant)
    {
        var options = variant switch
        {
            "mix" => new SharedFeatureOptions { Mix = Mix.Mlp() with { Temperature = 1f } },
            "mask" => new SharedFeatureOptions { Mask = Mask.SelfAttention() with { Temperature = 1f } },
            "mixmask" => new SharedFeatureOptions { Mix = Mix.CrossAttention() with { Temperature = 1f }, Mask = Mask.Mlp() with { Temperature = 1f } },
            "mix-cholesky" => new SharedFeatureOptions { Mix = Mix.Conv(distribution: FeatureDistribution.CholeskyGaussian) with { Temperature = 1f } },
            _ => new SharedFeatureOptions { Mask = Mask.LatentQuery(), Contrastive = new ContrastiveOptions() },
        };
        var network = Network(options);
        network.ZeroGrad();
        new SharedFeatureObjective(network).Backward(Zero, Zero, Zero, Observations(), new Dictionary<string, double>());

        bool anyMechanismGradient = false;
        foreach (var (name, parameter) in network.NamedParameters())
        {
            bool mechanism = name.StartsWith("mix.", StringComparison.Ordinal) || name.StartsWith("mask.", StringComparison.Ordinal)
                             || name.Contains("_noise.", StringComparison.Ordinal) || name.Contains("_norm.", StringComparison.Ordinal)
                             || name == "contrastive_w";
            var gradient = parameter.Grad?.ToArray() ?? [];
            if (mechanism) anyMechanismGradient |= gradient.Any(g => g != 0);
            else Assert.That(gradient, Has.All.EqualTo(0f), $"{name} (a trunk, backbone, bridge or head) received penalty gradient");
        }
        Assert.That(anyMechanismGradient, Is.True, "the penalty must train the mechanism");
    }

    [Test]
    public void AnAuxiliaryPenaltyAlsoShapesTheLayersBeforeIt()
    {
        var network = Network(new SharedFeatureOptions { Mix = Mix.Mlp(auxiliary: true) with { Temperature = 1f } });
        network.ZeroGrad();
        new SharedFeatureObjective(network).Backward(Zero, Zero, Zero, Observations(), new Dictionary<string, double>());
        var trunk = network.NamedParameters().Where(p => p.Key.StartsWith("actor.", StringComparison.Ordinal)).ToArray();
        Assert.That(trunk, Is.Not.Empty);
        Assert.That(trunk.Any(p => p.Value.Grad!.ToArray().Any(g => g != 0)), Is.True);
    }

    [Test]
    public void EachLossReachesOnlyItsOwnSideThroughTheMix()
    {
        var network = Network(new SharedFeatureOptions { Mix = Mix.Mlp() });
        var observations = Observations();
        network.ZeroGrad();
        network.Forward(observations).Value.Sum().Backward();
        Assert.That(GradientNorm(network, "actor."), Is.EqualTo(0), "the value loss reached the actor's trunk");
        Assert.That(GradientNorm(network, "critic."), Is.GreaterThan(0));

        network.ZeroGrad();
        network.Forward(observations).Policy.Entropy().Sum().Backward();
        Assert.That(GradientNorm(network, "critic."), Is.EqualTo(0), "the policy loss reached the critic's trunk");
        Assert.That(GradientNorm(network, "actor."), Is.GreaterThan(0));
        Assert.That(GradientNorm(network, "mix."), Is.GreaterThan(0), "the mix is shared: both losses train it");
    }

    [Test]
    public void ActingWithoutGradientsGivesTheSameOutputsAsTraining([Values(MixKind.Mlp, MixKind.Mixer, MixKind.Conv, MixKind.CrossAttention)] MixKind kind)
    {
        var network = Network(new SharedFeatureOptions { Mix = new MixOptions { Kind = kind }, Mask = Mask.Mlp() });
        network.Eval(); // batch norms on running statistics, so both passes see the same normalisation
        var observations = Observations(rows: 4);
        var (trainingPolicy, trainingValue) = network.Forward(observations);
        float[] expectedValue = trainingValue.ToArray(), expectedEntropy = trainingPolicy.Entropy().ToArray();
        using (RLKit.Autograd.GradMode.NoGrad())
        {
            var (policy, value) = network.Forward(observations);
            Assert.That(value.ToArray(), Is.EqualTo(expectedValue).Within(1e-6f));
            Assert.That(policy.Entropy().ToArray(), Is.EqualTo(expectedEntropy).Within(1e-6f));
        }
    }

    private static double GradientNorm(Module network, string prefix) =>
        network.NamedParameters().Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
               .Sum(p => p.Value.Grad?.ToArray().Sum(g => (double)g * g) ?? 0);

    [Test]
    public void EveryLayoutProducesPolicyAndValueRows(
        [Values("separated", "shared", "mix", "mask", "mixmask", "dense", "residual", "aux", "diag-sd", "chol-si")] string variant)
    {
        var options = variant switch
        {
            "separated" => new SharedFeatureOptions(),
            "shared" => new SharedFeatureOptions { SharedBackbone = true },
            "mix" => new SharedFeatureOptions { Mix = Mix.Mixer() },
            "mask" => new SharedFeatureOptions { Mask = Mask.SharedAttention() },
            "mixmask" => new SharedFeatureOptions { Mix = Mix.Conv(), Mask = Mask.LatentQuery() },
            "dense" => new SharedFeatureOptions { Mix = Mix.Mlp(skip: SkipConnection.Dense) },
            "residual" => new SharedFeatureOptions { Mask = Mask.Mlp(skip: SkipConnection.Residual) },
            "aux" => new SharedFeatureOptions { Mask = Mask.Mlp(auxiliary: true) },
            "diag-sd" => new SharedFeatureOptions { Mix = Mix.Mlp(distribution: FeatureDistribution.DiagonalGaussian, stateDependentCovariance: true) },
            _ => new SharedFeatureOptions { Mask = Mask.Mlp(distribution: FeatureDistribution.CholeskyGaussian) },
        };
        var network = Network(options);
        var (policy, value) = network.Forward(Observations(rows: 3));
        Assert.That(value.ShapeArray(), Is.EqualTo(new[] { 3 }));
        Assert.That(policy.Entropy().ShapeArray(), Is.EqualTo(new[] { 3 }));
        Assert.That(value.ToArray(), Has.All.Matches<float>(float.IsFinite));
    }

    [Test]
    public void GaussianFeaturesAreSampledInTrainingAndAtTheirMeanInEvaluation()
    {
        var network = Network(new SharedFeatureOptions { Mix = Mix.Mlp(distribution: FeatureDistribution.DiagonalGaussian) });
        var observations = Observations(rows: 2);
        var first = network.Forward(observations).Value.ToArray();
        var second = network.Forward(observations).Value.ToArray();
        Assert.That(second, Is.Not.EqualTo(first), "training mode samples the features");
        network.Eval();
        var firstMean = network.Forward(observations).Value.ToArray();
        var secondMean = network.Forward(observations).Value.ToArray();
        Assert.That(secondMean, Is.EqualTo(firstMean), "evaluation mode uses the mean");
    }

    [Test]
    public void PcGradProjectsOnlyTheSharedFeatureParameters()
    {
        var network = Network(new SharedFeatureOptions { Mask = Mask.Mlp(), PcGrad = true });
        var shared = network.SharedFeatureParameters();
        var names = network.NamedParameters().Where(p => shared.Contains(p.Value)).Select(p => p.Key).ToArray();
        Assert.That(names, Has.All.Matches<string>(n => n.StartsWith("backbone.", StringComparison.Ordinal) || n.StartsWith("mask.", StringComparison.Ordinal)));
        Assert.That(names, Is.Not.Empty);

        var losses = new Dictionary<string, double>();
        var (policy, value) = network.Forward(Observations());
        network.ZeroGrad();
        new SharedFeatureObjective(network).Backward(-policy.Entropy().Mean(), value.Square().Mean(), Zero, Observations(), losses);
        Assert.That(losses, Does.ContainKey("pcgrad_conflicts"));
        Assert.That(network.Parameters().All(p => p.Grad is not null), Is.True);
    }

    [Test]
    public void DistributionalScalarizationFollowsTheFormula()
    {
        // First objective J = 4 at z = 2: σ² = |J| = 4, σ = 2, μ = J − zσ = 0, so J maps to (4 − 0)/2 = 2 and 6 to 3.
        var scalarizer = new DistributionalScalarizer(new ScalarizationOptions { ZScore = 2f });
        Assert.That(scalarizer.Standardize(Tensor.Scalar(4f)).Item(), Is.EqualTo(2f).Within(1e-6));
        Assert.That(scalarizer.Standardize(Tensor.Scalar(6f)).Item(), Is.EqualTo(3f).Within(1e-6));
        Assert.That(scalarizer.Mean, Is.EqualTo(0).Within(1e-12));
        Assert.That(scalarizer.StandardDeviation, Is.EqualTo(2).Within(1e-12));

        // The paper's default z = 2.326 puts the first objective exactly at that z-score.
        var paper = new DistributionalScalarizer(new ScalarizationOptions());
        Assert.That(paper.Standardize(Tensor.Scalar(9f)).Item(), Is.EqualTo(2.326f).Within(1e-5));

        // Non-stationary: after 2 updates the objectives seen (4, 6) give mean 5 and sample σ √2; μ = 5 − 1·√2.
        var refit = new DistributionalScalarizer(new ScalarizationOptions { ZScore = 2f, RefitInterval = 2, RefitZScore = 1f });
        refit.Standardize(Tensor.Scalar(4f));
        refit.EndUpdate();
        refit.Standardize(Tensor.Scalar(6f));
        refit.EndUpdate();
        Assert.That(refit.StandardDeviation, Is.EqualTo(Math.Sqrt(2)).Within(1e-9));
        Assert.That(refit.Mean, Is.EqualTo(5 - Math.Sqrt(2)).Within(1e-9));
    }

    [Test]
    public void ScalarizationStandardizesThePolicyAndValueObjectivesGradients()
    {
        var network = Network(new SharedFeatureOptions { SharedBackbone = true, Scalarization = new ScalarizationOptions { ZScore = 1f } });
        var objective = new SharedFeatureObjective(network);
        var (_, value) = network.Forward(Observations());
        var valueLoss = value.Square().Mean() + 3f;
        double j = valueLoss.Item();
        network.ZeroGrad();
        var losses = new Dictionary<string, double>();
        objective.Backward(Zero, valueLoss, Zero, Observations(), losses);
        // J sits at z = 1: (J − μ)/σ = 1.
        Assert.That(losses["scaled_value"], Is.EqualTo(1).Within(1e-5));
        var scaledGradient = network.NamedParameters().First(p => p.Key == "value.weight").Value.Grad!.ToArray();

        network.ZeroGrad();
        (network.Forward(Observations()).Value.Square().Mean() + 3f).Backward();
        var plainGradient = network.NamedParameters().First(p => p.Key == "value.weight").Value.Grad!.ToArray();
        for (int i = 0; i < plainGradient.Length; i++)
            Assert.That(scaledGradient[i], Is.EqualTo(plainGradient[i] / Math.Sqrt(j)).Within(1e-5 + 1e-3 * Math.Abs(plainGradient[i])));
    }

    [Test]
    public void TemperaturesDecayAfterEveryUpdate()
    {
        var network = Network(new SharedFeatureOptions { Mix = Mix.Mlp() with { Temperature = 1e-4f, TemperatureDecay = 0.5f }, Mask = Mask.Mlp() });
        var objective = new SharedFeatureObjective(network);
        objective.AfterUpdate();
        objective.AfterUpdate();
        Assert.That(objective.MixTemperature, Is.EqualTo(2.5e-5f).Within(1e-12));
        Assert.That(objective.MaskTemperature, Is.EqualTo(1e-4f), "decay 1 keeps α fixed");
    }

    [Test]
    public void ContrastiveMomentumCopiesFollowTheMechanismSlowly()
    {
        var network = Network(new SharedFeatureOptions { Mix = Mix.Mlp(), Contrastive = new ContrastiveOptions { Momentum = 0.25f } });
        var observations = Observations();
        var before = network.Penalties(observations).Mix!.Item();
        var mixWeight = network.NamedParameters().First(p => p.Key.StartsWith("mix.", StringComparison.Ordinal)).Value;
        mixWeight.AsSpan().Fill(0.5f); // moves the mechanism away from its copy
        network.UpdateMomentumCopies();
        var after = network.Penalties(observations).Mix!.Item();
        Assert.That(after, Is.Not.EqualTo(before));
        Assert.That(double.IsFinite(after), Is.True);
    }

    [Test]
    public void InvalidCombinationsAreRejectedNamingTheOption()
    {
        var cosineOnGaussian = new SharedFeatureOptions { Mix = Mix.Mlp(distribution: FeatureDistribution.DiagonalGaussian) with { Similarity = Similarity.Cosine } };
        Assert.That(() => cosineOnGaussian.Validate(), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Similarity"));
        var negativeTemperature = new SharedFeatureOptions { Mask = Mask.Mlp() with { Temperature = -1f } };
        Assert.That(() => negativeTemperature.Validate(), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Temperature"));
        Assert.That(() => new SharedFeatureOptions { SharedBackbone = true, Mix = Mix.Mlp() }.Validate(), Throws.ArgumentException.With.Message.Contains("SharedBackbone"));
        Assert.That(() => new SharedFeatureOptions { Contrastive = new ContrastiveOptions() }.Validate(), Throws.ArgumentException.With.Message.Contains("Contrastive"));
        Assert.That(() => new SharedFeatureObjective(Network(new SharedFeatureOptions { PcGrad = true })), Throws.ArgumentException.With.Message.Contains("PcGrad"));
        Assert.That(() => new A2cEstimator(new A2cOptions { ExplorationEpsilon = 2f }), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("ExplorationEpsilon"));
    }

    [Test]
    public void TheFluentFormBuildsTheOptions()
    {
        var estimator = new A2cEstimator(MixMaskA2c.PaperOptions(seed: 4))
            .WithMix(Mix.CrossAttention(), Similarity.Cosine, temperature: 1e-3f, decay: 0.5f)
            .WithMask(Mask.Mlp())
            .WithScalarization()
            .WithPcGrad();
        var features = estimator.Options.SharedFeatures!;
        Assert.That(features.Mix!.Kind, Is.EqualTo(MixKind.CrossAttention));
        Assert.That(features.Mix.Temperature, Is.EqualTo(1e-3f));
        Assert.That(features.Mix.TemperatureDecay, Is.EqualTo(0.5f));
        Assert.That(features.Mask!.Kind, Is.EqualTo(MaskKind.Mlp));
        Assert.That(features.Scalarization!.ZScore, Is.EqualTo(2.326f));
        Assert.That(features.PcGrad, Is.True);
        Assert.That(estimator.Options.Seed, Is.EqualTo(4));
        Assert.That(new PpoEstimator().WithMask(Mask.SharedAttention()).Options.SharedFeatures!.Mask!.Kind, Is.EqualTo(MaskKind.SharedAttention));
    }

    [Test]
    public void OneEpisodePerUpdateWithEpsilonGreedyExploration()
    {
        using var env = LearningEvaluation.MakeVector("CartPole-v1", count: 1);
        var updates = new List<TrainingUpdate>();
        new A2cEstimator(MixMaskA2c.PaperOptions(seed: 2)).Fit(env, Budget.Episodes(6), new SynchronousProgress(updates.Add));
        Assert.That(updates.Select(u => u.Episodes).Distinct(), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6 }), "every update trains on exactly one episode");
    }

    [Test]
    public void AMixMaskAgentRoundTripsThroughACheckpoint()
    {
        using var env = LearningEvaluation.MakeVector("CartPole-v1", count: 1);
        var options = MixMaskA2c.PaperOptions(seed: 5) with
        {
            SharedFeatures = new SharedFeatureOptions { HiddenSize = 8, Mix = Mix.Conv(), Mask = Mask.SelfAttention(), Contrastive = new ContrastiveOptions() },
        };
        var agent = new A2cEstimator(options).Fit(env, Budget.Episodes(3));
        string path = Path.Combine(Path.GetTempPath(), $"rlkit-mixmask-{Guid.NewGuid():N}.rlkit");
        try
        {
            Checkpoint.Save(agent, path);
            var restored = (A2cAgent)Checkpoint.LoadAgent(path);
            Assert.That(restored.Options, Is.EqualTo(agent.Options).Using<A2cOptions>((a, b) => a.SharedFeatures!.ToString() == b.SharedFeatures!.ToString()));
            var observations = Observations(rows: 5);
            var expected = new int[5];
            var actual = new int[5];
            agent.Act(observations, expected, deterministic: true);
            restored.Act(observations, actual, deterministic: true);
            Assert.That(actual, Is.EqualTo(expected));
            Assert.That(restored.Network.IsTraining, Is.True, "greedy acting restores the training mode");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void PpoTrainsTheSameParts()
    {
        using var env = LearningEvaluation.MakeVector("CartPole-v1", count: 2);
        var updates = new List<TrainingUpdate>();
        var estimator = new PpoEstimator(new PpoOptions { StepsPerEnvironment = 32, MinibatchSize = 32, Epochs = 2, Seed = 1 })
            .WithMix(Mix.Mlp(), temperature: 1e-2f, decay: 0.5f).WithMask(Mask.Mlp()).WithPcGrad();
        var agent = estimator.Fit(env, Budget.Steps(256), new SynchronousProgress(updates.Add));
        Assert.That(agent.Network, Is.InstanceOf<SharedFeatureNetwork>());
        Assert.That(updates[^1].Losses, Does.ContainKey("mix_distance").And.ContainKey("mask_distance").And.ContainKey("pcgrad_conflicts"));
    }
}
