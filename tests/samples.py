"""Small texts shared by the tests."""

ARTICLE = (
    "University A and City B signed a cooperation agreement on Monday. "
    "The two sides will build a joint laboratory for new materials and train students together. "
    "Officials said the partnership would last for at least five years and include exchanges."
)
