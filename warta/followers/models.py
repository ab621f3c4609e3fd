"""Follow by e-mail: subscribers of a blog and the mail they are sent."""
