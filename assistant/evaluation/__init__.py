"""Gold question sets, retrieval / answer / alert metrics, and engineers' ratings exported as gold questions."""
