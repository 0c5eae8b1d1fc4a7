def test_the_cast_builds_a_tree_with_paths(cast):
    assert cast.division.path.startswith(cast.department.path)
    assert cast.division.depth == 2
