using Microsoft.Extensions.DependencyInjection;
using RLKit.Algorithms.Savo;
using RLKit.Hosting;

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
}
