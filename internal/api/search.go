package api

import "github.com/gofiber/fiber/v2"

// registerSearch mounts GET /search.
func (h *handler) registerSearch(r fiber.Router) {}
