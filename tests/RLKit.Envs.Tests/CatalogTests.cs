
namespace RLKit.Envs.Tests;

public class CatalogTests
{
    [Test]
    public void UnknownIdListsTheKnownOnes()
    {
        var catalog = StandardEnvironments.CreateCatalog();
        var ex = Assert.Throws<KeyNotFoundException>(() => catalog.Make("NoSuchEnv-v0"));
        Assert.That(ex!.Message, Does.Contain("NoSuchEnv-v0").And.Contain("Known ids"));
    }
}
