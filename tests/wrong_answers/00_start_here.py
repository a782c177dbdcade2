"""Wrong answers to lesson 00's exercises: each check cell must reject each with a message containing its
fragment (tests/test_grading.py runs the code right after the exercise's answer cells)."""

WRONG = {
    1: [
        ("test_share = torch.bincount(test_labels, minlength=10).float()", "counts, not shares"),
        ("least, most = most, least", "swapped"),
    ],
    2: [
        ("test_mean, test_std = test_images.float().mean().item(), test_images.float().std().item()",
         "scale the pixels"),
        ("test_mean, test_std = mean, std", "training set's mean"),
    ],
    3: [
        ("full, above_half, faint = 100 * full, 100 * above_half, 100 * faint", "percentages"),
        ("faint = (train_images <= 127).float().mean().item()", "blank pixels too"),
        ("faint = faint + 0.01", "make up all pixels"),
    ],
    4: [
        ('needs_mnist = [c.number for c in LESSONS if c.needs == "MNIST"]', "lesson 00 is missing"),
        ("needs_mnist = [0, 10, 11]", "as strings"),
        ('needs_mnist = ["11", "10", "00"]', "in order"),
    ],
}
