using Microsoft.Extensions.DependencyInjection;
using RLKit.Algorithms.Savo;
using RLKit.Hosting;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.Savo;

/// <summary>SAVO through the context and DI: the catalog, the registry and the keyed actor architectures.</summary>
[TestFixture]
public class SavoHostingTests
{
    [Test]
    public void ArchitecturesResolveByNameAndTheCatalogMakesSavo()
    {
        using var services = new ServiceCollection().AddRLKit(rl => rl.AddClassicAlgorithms()).Services.BuildServiceProvider();
        foreach (var name in ActorArchitectures.Names)
            Assert.That(services.GetRequiredKeyedService<IActorArchitecture>(name).Name, Is.EqualTo(name));
        var rl = services.GetRequiredService<RLContext>();
        var estimator = rl.Agents.Td3(o => o with { HiddenSizes = [8] }).WithActorArchitecture(ActorArchitectures.Wolpertinger, k: 4);
        Assert.That((estimator.Options.Architecture, estimator.Options.ActorCount), Is.EqualTo(("wolpertinger", 4)));
        Assert.That(rl.Agents.Savo().Algorithm, Is.EqualTo("savo"));
    }

    [Test]
    public void EachArchitectureDeclaresWhetherItsNetworksProposeKCandidates()
    {
        var observations = new Box(-1f, 1f, 3);
        var actions = new Box(-1f, 1f, 2);
        foreach (var (name, architecture) in ActorArchitectures.All)
        {
            var options = new SavoOptions { Architecture = name, ActorCount = 4, HiddenSizes = [8], Seed = 1 };
            var agent = SavoAgent.Create(observations, actions, options, new RandomGenerator(1));
            Assert.That(agent.CandidateCount, Is.EqualTo(architecture.UsesCandidateCount ? 4 : 1), name);
            Assert.That(options.CandidateCount, Is.EqualTo(agent.CandidateCount), $"{name}: the options' count is the networks'");
        }
    }
}
