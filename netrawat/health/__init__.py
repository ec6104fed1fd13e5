"""Health checks graded the SOP way: collectors per platform, checks as data, grading."""
