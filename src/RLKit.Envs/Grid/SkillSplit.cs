namespace RLKit.Envs.Grid;

/// <summary>Which part of the fixed 2:1:1 skill split an episode draws its actions from (seed 003 ch. 2).</summary>
public enum SkillSplit
{
    /// <summary>The training skills (half of them).</summary>
    Train,

    /// <summary>The validation skills (a quarter), for model selection.</summary>
    Validation,

    /// <summary>The test skills (a quarter), unseen during training.</summary>
    Test,
}
