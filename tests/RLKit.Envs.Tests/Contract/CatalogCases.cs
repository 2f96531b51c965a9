namespace RLKit.Envs.Tests.Contract;

/// <summary>Test cases over the standard catalog: one per environment id or task set id, named with <c>{0}</c> as the id.</summary>
internal static class CatalogCases
{
    public static IEnumerable<TestCaseData> Environments(string nameFormat) =>
        StandardEnvironments.CreateCatalog().Environments.Select(e => new TestCaseData(e.Id).SetName(string.Format(nameFormat, e.Id)));

    public static IEnumerable<TestCaseData> TaskSets(string nameFormat) =>
        StandardEnvironments.CreateCatalog().TaskSets.Select(e => new TestCaseData(e.Id).SetName(string.Format(nameFormat, e.Id)));
}
