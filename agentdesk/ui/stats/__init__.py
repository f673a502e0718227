"""The usage figures page: what agents use, for trainers and supervisors on the desk."""
