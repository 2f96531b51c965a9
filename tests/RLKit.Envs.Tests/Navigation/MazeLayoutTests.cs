using RLKit.Envs.Navigation;

namespace RLKit.Envs.Tests.Navigation;

public class MazeLayoutTests
{
    // REFERENCE.md's LARGE_MAZE, written out independently of the implementation.
    internal static readonly string[] ReferenceLargeMaze =
        "############/#OOOO#OOOOO#/#O##O#O#O#O#/#OOOOOO#OOO#/#O####O###O#/#OO#O#OOOOO#/##O#O#O#O###/#OO#OOO#OGO#/############".Split('/');

    [Test]
    public void LargeMazeHasTheReferenceWallsCellByCell()
    {
        var maze = MazeLayout.LargeMaze;
        Assert.That((maze.Rows, maze.Columns), Is.EqualTo((9, 12)));
        for (int row = 0; row < 9; row++)
            for (int column = 0; column < 12; column++)
                Assert.That(maze.IsWall(row, column), Is.EqualTo(ReferenceLargeMaze[row][column] == '#'), $"cell ({row}, {column})");
    }

    [Test]
    public void SpotChecksAndOutsideCountAsWall()
    {
        var maze = MazeLayout.LargeMaze;
        Assert.Multiple(() =>
        {
            Assert.That(maze.IsWall(1, 5), Is.True);
            Assert.That(maze.IsWall(6, 1), Is.True);
            Assert.That(maze.IsWall(1, 1), Is.False);
            Assert.That(maze.IsWall(7, 9), Is.False, "the 'G' marker is a free cell");
            Assert.That(maze.IsWall(-1, 3), Is.True);
            Assert.That(maze.IsWall(3, 12), Is.True);
        });
    }

    [Test]
    public void ParseRejectsRaggedRowsAndUnknownCharacters()
    {
        Assert.Throws<ArgumentException>(() => MazeLayout.Parse("###", "##"));
        Assert.Throws<ArgumentException>(() => MazeLayout.Parse("#X#"));
    }

    [Test]
    public void TasksAreTheReferenceTasksWithFreeStartAndGoalCells()
    {
        (int, int, int, int)[] expected =
        [
            (1, 3, 5, 8), (1, 10, 2, 4), (4, 1, 1, 7), (7, 4, 4, 10), (1, 3, 7, 4),
            (1, 7, 7, 10), (5, 4, 7, 9), (7, 1, 2, 6), (1, 2, 3, 10), (7, 2, 6, 8),
        ];
        var tasks = PointMazeTask.LargeMazeTasks;
        Assert.That(tasks.Select(t => (t.StartRow, t.StartColumn, t.GoalRow, t.GoalColumn)), Is.EqualTo(expected));
        foreach (var t in tasks)
        {
            Assert.That(ReferenceLargeMaze[t.StartRow][t.StartColumn], Is.Not.EqualTo('#'), $"start of {t}");
            Assert.That(ReferenceLargeMaze[t.GoalRow][t.GoalColumn], Is.Not.EqualTo('#'), $"goal of {t}");
        }
    }
}
