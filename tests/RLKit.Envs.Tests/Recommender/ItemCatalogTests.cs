using RLKit.Envs.Recommender;

namespace RLKit.Envs.Tests.Recommender;

public class ItemCatalogTests
{
    [Test]
    public void SplitIsDisjointHalvesCoveringTheCatalogue()
    {
        var catalog = new ItemCatalog(500, 10, 2, 10, seed: 0);
        var train = catalog.ItemsIn(ItemSplit.Train).ToArray();
        var test = catalog.ItemsIn(ItemSplit.Test).ToArray();
        Assert.That(train, Has.Length.EqualTo(250));
        Assert.That(test, Has.Length.EqualTo(250));
        Assert.That(train.Intersect(test), Is.Empty);
        Assert.That(train.Concat(test).Order(), Is.EqualTo(Enumerable.Range(0, 500)));
        Assert.That(train.All(i => catalog.SplitOf(i) == ItemSplit.Train) && test.All(i => catalog.SplitOf(i) == ItemSplit.Test), Is.True);
    }

    [Test]
    public void CatalogueIsFixedByItsSeed()
    {
        var a = new ItemCatalog(500, 10, 2, 10, seed: 3);
        var b = new ItemCatalog(500, 10, 2, 10, seed: 3);
        var c = new ItemCatalog(500, 10, 2, 10, seed: 4);
        Assert.That(a.ItemsIn(ItemSplit.Train).ToArray(), Is.EqualTo(b.ItemsIn(ItemSplit.Train).ToArray()));
        Assert.That(a.Representations.ToArray(), Is.EqualTo(b.Representations.ToArray()));
        Assert.That(Enumerable.Range(0, 500).Select(a.Category), Is.EqualTo(Enumerable.Range(0, 500).Select(b.Category)));
        Assert.That(a.ItemsIn(ItemSplit.Train).ToArray(), Is.Not.EqualTo(c.ItemsIn(ItemSplit.Train).ToArray()));
    }

    [Test]
    public void ItemsAreUnitVectorsWithBalancedLabels()
    {
        var catalog = new ItemCatalog(500, 10, 2, 10, seed: 0);
        for (int i = 0; i < catalog.Count; i++)
        {
            var e = catalog.Representation(i);
            Assert.That(Math.Sqrt(e.ToArray().Sum(x => x * x)), Is.EqualTo(1.0).Within(1e-5));
        }
        var counts = Enumerable.Range(0, 500).GroupBy(i => (catalog.Category(i), catalog.SubCategory(i))).Select(g => g.Count()).ToArray();
        Assert.That(counts, Has.Length.EqualTo(20));
        Assert.That(counts, Is.All.EqualTo(25));
    }

    [Test]
    public void RepresentationsClusterBySubCategoryThenCategory()
    {
        var catalog = new ItemCatalog(500, 10, 2, 10, seed: 0);
        double same = 0, sibling = 0, other = 0;
        int nSame = 0, nSibling = 0, nOther = 0;
        for (int i = 0; i < 200; i++)
            for (int j = i + 1; j < 200; j++)
            {
                double dot = Dot(catalog.Representation(i), catalog.Representation(j));
                if (catalog.Category(i) != catalog.Category(j)) { other += dot; nOther++; }
                else if (catalog.SubCategory(i) != catalog.SubCategory(j)) { sibling += dot; nSibling++; }
                else { same += dot; nSame++; }
            }
        Assert.That(same / nSame, Is.GreaterThan(sibling / nSibling));
        Assert.That(sibling / nSibling, Is.GreaterThan(other / nOther + 0.2));
    }

    [Test]
    public void FeaturesAreOneVectorObservationPerItem()
    {
        var catalog = new ItemCatalog(300, 5, 2, 8, seed: 2);
        var features = catalog.Features();
        Assert.That((features.ActionCount, features.Steps, features.Features, features.TotalObservations), Is.EqualTo((300, 1, 8, 300)));
        for (int i = 0; i < catalog.Count; i++)
        {
            Assert.That(features.ObservationCount(i), Is.EqualTo(1));
            Assert.That(features.Observation(i, 0).ToArray(), Is.EqualTo(catalog.Representation(i).ToArray()));
        }
        Assert.That(catalog.Features(), Is.SameAs(features));

        // The features are the generated vectors, whatever an encoder later writes into the action set.
        var generated = features.Data.ToArray();
        catalog.Actions.Representations.Fill(0.5f);
        Assert.That(catalog.Features().Data.ToArray(), Is.EqualTo(generated));
        Assert.That(new ItemCatalog(300, 5, 2, 8, seed: 2).Features().Data.ToArray(), Is.EqualTo(generated));
    }

    [Test]
    public void CategoriesListEveryItemsCategory()
    {
        var catalog = new ItemCatalog(200, 4, 3, 6, seed: 1);
        Assert.That(catalog.Categories.ToArray(), Is.EqualTo(Enumerable.Range(0, 200).Select(catalog.Category)));
        Assert.That(catalog.Categories.ToArray().Distinct().Order(), Is.EqualTo(Enumerable.Range(0, 4)));
    }

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
